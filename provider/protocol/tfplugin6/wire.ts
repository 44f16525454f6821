// tfplugin6 messages as they cross the gRPC boundary: plain objects with tfplugin6.proto's snake_case field
// names, as protobufjs decodes and encodes them (int64 as number, bytes as Uint8Array, enums as numbers).
// Requests are decoded without defaults, so any field may be absent; responses are what toproto.ts builds.
export interface WireDynamicValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export type WireAttributePathStep = { attribute_name: string } | { element_key_string: string } | { element_key_int: number };

export interface WireAttributePath {
  steps: WireAttributePathStep[];
}

export interface WireDiagnostic {
  severity: number;
  summary: string;
  detail: string;
  attribute?: WireAttributePath;
}

export interface WireSchemaAttribute {
  name: string;
  /** The cty type as JSON. */
  type: Uint8Array;
  description: string;
  description_kind: number;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
}

export interface WireSchema {
  version: number;
  block: {
    version: number;
    description: string;
    description_kind: number;
    attributes: WireSchemaAttribute[];
  };
}

export interface WireServerCapabilities {
  plan_destroy: boolean;
  get_provider_schema_optional: boolean;
}

interface WithDiagnostics {
  diagnostics: WireDiagnostic[];
}
type Empty = Record<string, never>;

/** Request messages by RPC name. */
export interface WireRequests {
  GetMetadata: Empty;
  GetProviderSchema: Empty;
  GetResourceIdentitySchemas: Empty;
  GetFunctions: Empty;
  ValidateProviderConfig: { config?: WireDynamicValue };
  ValidateResourceConfig: { type_name?: string; config?: WireDynamicValue };
  ValidateDataResourceConfig: { type_name?: string; config?: WireDynamicValue };
  ConfigureProvider: { terraform_version?: string; config?: WireDynamicValue };
  UpgradeResourceState: {
    type_name?: string;
    version?: number;
    raw_state?: { json?: Uint8Array; flatmap?: Record<string, string> };
  };
  ReadResource: { type_name?: string; current_state?: WireDynamicValue; private?: Uint8Array };
  PlanResourceChange: {
    type_name?: string;
    prior_state?: WireDynamicValue;
    proposed_new_state?: WireDynamicValue;
    config?: WireDynamicValue;
    prior_private?: Uint8Array;
  };
  ApplyResourceChange: {
    type_name?: string;
    prior_state?: WireDynamicValue;
    planned_state?: WireDynamicValue;
    config?: WireDynamicValue;
    planned_private?: Uint8Array;
  };
  ImportResourceState: { type_name?: string; id?: string };
  ReadDataSource: { type_name?: string; config?: WireDynamicValue };
  StopProvider: Empty;
}

/** Response messages by RPC name. */
export interface WireResponses {
  GetMetadata: WithDiagnostics & {
    server_capabilities: WireServerCapabilities;
    resources: { type_name: string }[];
    data_sources: { type_name: string }[];
  };
  GetProviderSchema: WithDiagnostics & {
    provider: WireSchema;
    resource_schemas: Record<string, WireSchema>;
    data_source_schemas: Record<string, WireSchema>;
    server_capabilities: WireServerCapabilities;
  };
  GetResourceIdentitySchemas: WithDiagnostics & { identity_schemas: Record<string, { version: number }> };
  GetFunctions: WithDiagnostics;
  ValidateProviderConfig: WithDiagnostics;
  ValidateResourceConfig: WithDiagnostics;
  ValidateDataResourceConfig: WithDiagnostics;
  ConfigureProvider: WithDiagnostics;
  UpgradeResourceState: WithDiagnostics & { upgraded_state?: WireDynamicValue };
  ReadResource: WithDiagnostics & { new_state?: WireDynamicValue; private?: Uint8Array };
  PlanResourceChange: WithDiagnostics & {
    planned_state?: WireDynamicValue;
    requires_replace?: WireAttributePath[];
    planned_private?: Uint8Array;
  };
  ApplyResourceChange: WithDiagnostics & { new_state?: WireDynamicValue; private?: Uint8Array };
  ImportResourceState: WithDiagnostics & {
    imported_resources?: { type_name: string; state: WireDynamicValue }[];
  };
  ReadDataSource: WithDiagnostics & { state?: WireDynamicValue };
  StopProvider: { Error: string };
}
