// A typed ProviderServer as tfplugin6.Provider on the wire: each RPC converts its request from the wire, calls the
// server's method, and converts the response back. The plugin server registers these with gRPC; tests call them
// with protocol messages directly.
import * as from from "./fromproto.ts";
import type { ProviderServer, RpcName } from "./rpcs.ts";
import * as to from "./toproto.ts";
import type { WireRequests, WireResponses } from "./wire.ts";

export type WireProvider = { [K in RpcName]: (request: WireRequests[K]) => Promise<WireResponses[K]> };

export function wireProvider(server: ProviderServer): WireProvider {
  return {
    GetMetadata: async () => to.getMetadataResponse(await server.GetMetadata({})),
    GetProviderSchema: async () => to.getProviderSchemaResponse(await server.GetProviderSchema({})),
    GetResourceIdentitySchemas: async () =>
      to.getResourceIdentitySchemasResponse(await server.GetResourceIdentitySchemas({})),
    GetFunctions: async () => to.diagnosticsResponse(await server.GetFunctions({})),
    ValidateProviderConfig: async (w) =>
      to.diagnosticsResponse(await server.ValidateProviderConfig(from.validateProviderConfigRequest(w))),
    ValidateResourceConfig: async (w) =>
      to.diagnosticsResponse(await server.ValidateResourceConfig(from.validateResourceConfigRequest(w))),
    ValidateDataResourceConfig: async (w) =>
      to.diagnosticsResponse(await server.ValidateDataResourceConfig(from.validateDataResourceConfigRequest(w))),
    ConfigureProvider: async (w) =>
      to.diagnosticsResponse(await server.ConfigureProvider(from.configureProviderRequest(w))),
    UpgradeResourceState: async (w) =>
      to.upgradeResourceStateResponse(await server.UpgradeResourceState(from.upgradeResourceStateRequest(w))),
    ReadResource: async (w) => to.readResourceResponse(await server.ReadResource(from.readResourceRequest(w))),
    PlanResourceChange: async (w) =>
      to.planResourceChangeResponse(await server.PlanResourceChange(from.planResourceChangeRequest(w))),
    ApplyResourceChange: async (w) =>
      to.applyResourceChangeResponse(await server.ApplyResourceChange(from.applyResourceChangeRequest(w))),
    ImportResourceState: async (w) =>
      to.importResourceStateResponse(await server.ImportResourceState(from.importResourceStateRequest(w))),
    ReadDataSource: async (w) => to.readDataSourceResponse(await server.ReadDataSource(from.readDataSourceRequest(w))),
    StopProvider: async () => to.stopProviderResponse(await server.StopProvider({})),
  };
}
