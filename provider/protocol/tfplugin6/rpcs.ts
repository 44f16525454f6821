// The requests and responses of the tfplugin6.Provider RPCs this provider implements, as typed values, and
// ProviderServer: one method per RPC, what a provider implementation hands to the plugin server. Fields of the
// .proto that nothing here reads (provider_meta, client_capabilities) are not carried over.
import type { Diagnostic, AttributePath, Schema, ServerCapabilities } from "./types.ts";
import type { DynamicValue, RawState } from "./values.ts";

interface WithDiagnostics {
  diagnostics: Diagnostic[];
}

export type GetMetadataRequest = Record<string, never>;
export interface GetMetadataResponse extends WithDiagnostics {
  serverCapabilities: ServerCapabilities;
  resources: { typeName: string }[];
  dataSources: { typeName: string }[];
}

export type GetProviderSchemaRequest = Record<string, never>;
export interface GetProviderSchemaResponse extends WithDiagnostics {
  provider: Schema;
  resourceSchemas: Record<string, Schema>;
  dataSourceSchemas: Record<string, Schema>;
  serverCapabilities: ServerCapabilities;
}

export type GetResourceIdentitySchemasRequest = Record<string, never>;
export interface GetResourceIdentitySchemasResponse extends WithDiagnostics {
  identitySchemas: Record<string, { version: number }>;
}

export type GetFunctionsRequest = Record<string, never>;
export type GetFunctionsResponse = WithDiagnostics;

export interface ValidateProviderConfigRequest {
  config: DynamicValue;
}
export type ValidateProviderConfigResponse = WithDiagnostics;

export interface ValidateResourceConfigRequest {
  typeName: string;
  config: DynamicValue;
}
export type ValidateResourceConfigResponse = WithDiagnostics;

export interface ValidateDataResourceConfigRequest {
  typeName: string;
  config: DynamicValue;
}
export type ValidateDataResourceConfigResponse = WithDiagnostics;

export interface ConfigureProviderRequest {
  terraformVersion: string;
  config: DynamicValue;
}
export type ConfigureProviderResponse = WithDiagnostics;

export interface UpgradeResourceStateRequest {
  typeName: string;
  /** The schema version the stored state was written with. */
  version: number;
  rawState: RawState;
}
export interface UpgradeResourceStateResponse extends WithDiagnostics {
  upgradedState?: DynamicValue;
}

export interface ReadResourceRequest {
  typeName: string;
  currentState: DynamicValue;
  private: Uint8Array;
}
export interface ReadResourceResponse extends WithDiagnostics {
  /** null (encoded) when the object is gone. */
  newState?: DynamicValue;
  private?: Uint8Array;
}

export interface PlanResourceChangeRequest {
  typeName: string;
  /** null on create. */
  priorState: DynamicValue;
  /** null on destroy. */
  proposedNewState: DynamicValue;
  config: DynamicValue;
  priorPrivate: Uint8Array;
}
export interface PlanResourceChangeResponse extends WithDiagnostics {
  plannedState?: DynamicValue;
  requiresReplace?: AttributePath[];
  plannedPrivate?: Uint8Array;
}

export interface ApplyResourceChangeRequest {
  typeName: string;
  priorState: DynamicValue;
  /** null on destroy. */
  plannedState: DynamicValue;
  config: DynamicValue;
  plannedPrivate: Uint8Array;
}
export interface ApplyResourceChangeResponse extends WithDiagnostics {
  newState?: DynamicValue;
  private?: Uint8Array;
}

export interface ImportResourceStateRequest {
  typeName: string;
  id: string;
}
export interface ImportedResource {
  typeName: string;
  state: DynamicValue;
}
export interface ImportResourceStateResponse extends WithDiagnostics {
  importedResources?: ImportedResource[];
}

export interface ReadDataSourceRequest {
  typeName: string;
  config: DynamicValue;
}
export interface ReadDataSourceResponse extends WithDiagnostics {
  state?: DynamicValue;
}

export type StopProviderRequest = Record<string, never>;
export interface StopProviderResponse {
  /** Empty when stopped; the CLI shows anything else as an error. */
  error: string;
}

type Rpc<Req, Res> = (request: Req) => Res | Promise<Res>;

/** A provider as the plugin server sees it: one typed method per tfplugin6.Provider RPC. */
export interface ProviderServer {
  GetMetadata: Rpc<GetMetadataRequest, GetMetadataResponse>;
  GetProviderSchema: Rpc<GetProviderSchemaRequest, GetProviderSchemaResponse>;
  GetResourceIdentitySchemas: Rpc<GetResourceIdentitySchemasRequest, GetResourceIdentitySchemasResponse>;
  GetFunctions: Rpc<GetFunctionsRequest, GetFunctionsResponse>;
  ValidateProviderConfig: Rpc<ValidateProviderConfigRequest, ValidateProviderConfigResponse>;
  ValidateResourceConfig: Rpc<ValidateResourceConfigRequest, ValidateResourceConfigResponse>;
  ValidateDataResourceConfig: Rpc<ValidateDataResourceConfigRequest, ValidateDataResourceConfigResponse>;
  ConfigureProvider: Rpc<ConfigureProviderRequest, ConfigureProviderResponse>;
  UpgradeResourceState: Rpc<UpgradeResourceStateRequest, UpgradeResourceStateResponse>;
  ReadResource: Rpc<ReadResourceRequest, ReadResourceResponse>;
  PlanResourceChange: Rpc<PlanResourceChangeRequest, PlanResourceChangeResponse>;
  ApplyResourceChange: Rpc<ApplyResourceChangeRequest, ApplyResourceChangeResponse>;
  ImportResourceState: Rpc<ImportResourceStateRequest, ImportResourceStateResponse>;
  ReadDataSource: Rpc<ReadDataSourceRequest, ReadDataSourceResponse>;
  StopProvider: Rpc<StopProviderRequest, StopProviderResponse>;
}

export type RpcName = keyof ProviderServer;
