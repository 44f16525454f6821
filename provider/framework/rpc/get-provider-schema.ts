// GetProviderSchema: every schema of the provider, its resources and its data sources.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { protocolSchema } from "../schema.ts";

// No destroy-time plans; and the schema must always be asked for, since each process configures itself anew.
export const SERVER_CAPABILITIES: tfplugin6.ServerCapabilities = { planDestroy: false, getProviderSchemaOptional: false };

export function getProviderSchema<P>(rt: ProviderRuntime<P>): tfplugin6.GetProviderSchemaResponse {
  const { def } = rt;
  return {
    provider: protocolSchema(def.schema),
    resourceSchemas: Object.fromEntries(def.resources.map((r) => [r.typeName, protocolSchema(r.schema)])),
    dataSourceSchemas: Object.fromEntries(def.dataSources.map((d) => [d.typeName, protocolSchema(d.schema)])),
    serverCapabilities: SERVER_CAPABILITIES,
    diagnostics: [],
  };
}
