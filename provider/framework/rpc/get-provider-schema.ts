// GetProviderSchema: every schema of the provider, its resources and its data sources.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import type { ProviderRuntime } from "../runtime.ts";
import { protocolSchema } from "../schema.ts";

// No destroy-time plans. The schema is optional: every RPC answers from the provider's static definitions, never
// from state a GetProviderSchema call left behind, so a CLI that has the schema from an earlier process of the same
// command (Terraform >= 1.6, OpenTofu) may skip asking again — one GetProviderSchema instead of one per process,
// as for providers on terraform-plugin-framework, which declares the same.
export const SERVER_CAPABILITIES: tfplugin6.ServerCapabilities = { planDestroy: false, getProviderSchemaOptional: true };

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
