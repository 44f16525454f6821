// ConfigureProvider: the provider's configure() once per process; what it returns is what resources get.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { completeObject } from "../plan.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { decodeObject } from "../schema.ts";
import { guarded } from "./guarded.ts";

export function configureProvider<P>(
  rt: ProviderRuntime<P>,
  req: tfplugin6.ConfigureProviderRequest,
): Promise<tfplugin6.ConfigureProviderResponse> {
  return guarded(rt.log, "ConfigureProvider", {}, async (diagnostics) => {
    const config = decodeObject(req.config, rt.def.schema) ?? completeObject(rt.def.schema, {});
    rt.log.debug("configuring provider", { terraform_version: req.terraformVersion });
    const data = await rt.def.configure(config, diagnostics);
    if (!diagnostics.hasErrors()) rt.configure(data);
  });
}
