// ValidateDataResourceConfig: the framework's attribute checks, then the data source's own.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject } from "../schema.ts";
import { validateConfigOf } from "../validate.ts";
import { guarded } from "./guarded.ts";

export function validateDataResourceConfig<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ValidateDataResourceConfigRequest,
): Promise<tfplugin6.ValidateDataResourceConfigResponse> {
  return guarded(rt.log, "ValidateDataResourceConfig", {}, (diagnostics) => {
    const ds = rt.dataSource(req.typeName);
    validateConfigOf(ds, decodeObject(req.config, ds.schema), diagnostics);
  });
}
