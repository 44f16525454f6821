// Typed responses (rpcs.ts) into messages for the wire (wire.ts): enums as numbers, cty types as JSON bytes,
// values as msgpack.
import type * as rpc from "./rpcs.ts";
import type { AttributePath, Diagnostic, Schema, ServerCapabilities } from "./types.ts";
import type { DynamicValue } from "./values.ts";
import type {
  WireAttributePath,
  WireAttributePathStep,
  WireDiagnostic,
  WireDynamicValue,
  WireResponses,
  WireSchema,
  WireServerCapabilities,
} from "./wire.ts";

const utf8 = new TextEncoder();

function dynamicValue(v: DynamicValue): WireDynamicValue;
function dynamicValue(v: DynamicValue | undefined): WireDynamicValue | undefined;
function dynamicValue(v: DynamicValue | undefined): WireDynamicValue | undefined {
  if (!v) return undefined;
  return v.json ? { msgpack: v.msgpack, json: v.json } : { msgpack: v.msgpack };
}

function attributePath(path: AttributePath): WireAttributePath {
  return {
    steps: path.steps.map(
      (s): WireAttributePathStep =>
        "attributeName" in s
          ? { attribute_name: s.attributeName }
          : "elementKeyString" in s
            ? { element_key_string: s.elementKeyString }
            : { element_key_int: s.elementKeyInt },
    ),
  };
}

function diagnostics(items: readonly Diagnostic[]): WireDiagnostic[] {
  return items.map((d) => ({
    severity: d.severity,
    summary: d.summary,
    detail: d.detail,
    ...(d.attribute ? { attribute: attributePath(d.attribute) } : {}),
  }));
}

function schema(s: Schema): WireSchema {
  return {
    version: s.version,
    block: {
      version: s.block.version,
      description: s.block.description,
      description_kind: s.block.descriptionKind,
      attributes: s.block.attributes.map((a) => ({
        name: a.name,
        type: utf8.encode(JSON.stringify(a.type)),
        description: a.description,
        description_kind: a.descriptionKind,
        required: a.required,
        optional: a.optional,
        computed: a.computed,
        sensitive: a.sensitive,
        deprecated: a.deprecated,
      })),
    },
  };
}

const serverCapabilities = (c: ServerCapabilities): WireServerCapabilities => ({
  plan_destroy: c.planDestroy,
  get_provider_schema_optional: c.getProviderSchemaOptional,
});

const schemas = (byName: Record<string, Schema>): Record<string, WireSchema> =>
  Object.fromEntries(Object.entries(byName).map(([name, s]) => [name, schema(s)]));

export const getMetadataResponse = (r: rpc.GetMetadataResponse): WireResponses["GetMetadata"] => ({
  server_capabilities: serverCapabilities(r.serverCapabilities),
  resources: r.resources.map((x) => ({ type_name: x.typeName })),
  data_sources: r.dataSources.map((x) => ({ type_name: x.typeName })),
  diagnostics: diagnostics(r.diagnostics),
});

export const getProviderSchemaResponse = (r: rpc.GetProviderSchemaResponse): WireResponses["GetProviderSchema"] => ({
  provider: schema(r.provider),
  resource_schemas: schemas(r.resourceSchemas),
  data_source_schemas: schemas(r.dataSourceSchemas),
  server_capabilities: serverCapabilities(r.serverCapabilities),
  diagnostics: diagnostics(r.diagnostics),
});

export const getResourceIdentitySchemasResponse = (
  r: rpc.GetResourceIdentitySchemasResponse,
): WireResponses["GetResourceIdentitySchemas"] => ({
  identity_schemas: r.identitySchemas,
  diagnostics: diagnostics(r.diagnostics),
});

/** The responses that carry nothing but diagnostics. */
export const diagnosticsResponse = (r: { diagnostics: Diagnostic[] }): { diagnostics: WireDiagnostic[] } => ({
  diagnostics: diagnostics(r.diagnostics),
});

export const upgradeResourceStateResponse = (r: rpc.UpgradeResourceStateResponse): WireResponses["UpgradeResourceState"] => ({
  upgraded_state: dynamicValue(r.upgradedState),
  diagnostics: diagnostics(r.diagnostics),
});

export const readResourceResponse = (r: rpc.ReadResourceResponse): WireResponses["ReadResource"] => ({
  new_state: dynamicValue(r.newState),
  private: r.private,
  diagnostics: diagnostics(r.diagnostics),
});

export const planResourceChangeResponse = (r: rpc.PlanResourceChangeResponse): WireResponses["PlanResourceChange"] => ({
  planned_state: dynamicValue(r.plannedState),
  requires_replace: r.requiresReplace?.map(attributePath),
  planned_private: r.plannedPrivate,
  diagnostics: diagnostics(r.diagnostics),
});

export const applyResourceChangeResponse = (r: rpc.ApplyResourceChangeResponse): WireResponses["ApplyResourceChange"] => ({
  new_state: dynamicValue(r.newState),
  private: r.private,
  diagnostics: diagnostics(r.diagnostics),
});

export const importResourceStateResponse = (r: rpc.ImportResourceStateResponse): WireResponses["ImportResourceState"] => ({
  imported_resources: r.importedResources?.map((x) => ({ type_name: x.typeName, state: dynamicValue(x.state) })),
  diagnostics: diagnostics(r.diagnostics),
});

export const readDataSourceResponse = (r: rpc.ReadDataSourceResponse): WireResponses["ReadDataSource"] => ({
  state: dynamicValue(r.state),
  diagnostics: diagnostics(r.diagnostics),
});

export const stopProviderResponse = (r: rpc.StopProviderResponse): WireResponses["StopProvider"] => ({ Error: r.error });
