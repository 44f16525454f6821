// ValidateProviderConfig: the framework's attribute checks, then the provider's own.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject } from "../schema.ts";
import { validateAttributes } from "../validate.ts";
import { guarded } from "./guarded.ts";

export function validateProviderConfig<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ValidateProviderConfigRequest,
): Promise<tfplugin6.ValidateProviderConfigResponse> {
  return guarded(rt.log, "ValidateProviderConfig", {}, (diagnostics) => {
    const config = decodeObject(req.config, rt.def.schema) ?? completeObject(rt.def.schema, {});
    validateAttributes(rt.def.schema, config, diagnostics);
    rt.def.validateConfig?.({ config, diagnostics });
  });
}
