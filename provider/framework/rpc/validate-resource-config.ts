// ValidateResourceConfig: the framework's attribute checks, then the resource's own (unknowns are skipped).
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject } from "../schema.ts";
import { validateConfigOf } from "../validate.ts";
import { guarded } from "./guarded.ts";

export function validateResourceConfig<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ValidateResourceConfigRequest,
): Promise<tfplugin6.ValidateResourceConfigResponse> {
  return guarded(rt.log, "ValidateResourceConfig", {}, (diagnostics) => {
    const resource = rt.resource(req.typeName);
    validateConfigOf(resource, decodeObject(req.config, resource.schema), diagnostics);
  });
}
