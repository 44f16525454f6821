// GetMetadata: the resource and data source type names, without schemas (the CLI calls it only when asked to).
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { SERVER_CAPABILITIES } from "./get-provider-schema.ts";

export function getMetadata<P>(rt: ProviderRuntime<P>): tfplugin6.GetMetadataResponse {
  return {
    serverCapabilities: SERVER_CAPABILITIES,
    resources: rt.def.resources.map((r) => ({ typeName: r.typeName })),
    dataSources: rt.def.dataSources.map((d) => ({ typeName: d.typeName })),
    diagnostics: [],
  };
}
