// Schemas as the protocol and the CLI see them: the object type of a schema, the tfplugin6 schema, the exact
// JSON `terraform providers schema -json` prints for this provider, and a schema's values to and from the wire.
import type { CtyType } from "../protocol/cty/types.ts";
import * as tfplugin6 from "../protocol/tfplugin6/index.ts";
import type { ObjectValue, Schema } from "./types.ts";

// Descriptions are written in Markdown (the registry docs render them).
const MARKDOWN = tfplugin6.StringKind.Markdown;

// Schemas never change once declared: each one's object type is built once, not on every value decoded or encoded.
const objectTypes = new WeakMap<Schema, CtyType>();

/** The cty object type of a schema's values (every attribute). */
export function objectType(schema: Schema): CtyType {
  let type = objectTypes.get(schema);
  if (!type) {
    const attrs: Record<string, CtyType> = {};
    for (const [name, attr] of Object.entries(schema.attributes)) attrs[name] = attr.type;
    type = ["object", attrs];
    objectTypes.set(schema, type);
  }
  return type;
}

/** Attributes sorted by name, as the CLIs list them. */
function sortedAttributes(schema: Schema) {
  return Object.entries(schema.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function protocolSchema(schema: Schema): tfplugin6.Schema {
  return {
    version: schema.version,
    block: {
      version: schema.version,
      description: schema.description,
      descriptionKind: MARKDOWN,
      attributes: sortedAttributes(schema).map(([name, a]) => ({
        name,
        type: a.type,
        description: a.description,
        descriptionKind: MARKDOWN,
        required: !!a.required,
        optional: !!a.optional,
        computed: !!a.computed,
        sensitive: !!a.sensitive,
        deprecated: !!a.deprecated,
      })),
    },
  };
}

/** One schema as `providers schema -json` prints it (false flags and empty strings omitted). */
export function schemaJson(schema: Schema): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const [name, a] of sortedAttributes(schema)) {
    const out: Record<string, unknown> = { type: a.type };
    if (a.description) {
      out.description = a.description;
      out.description_kind = "markdown";
    }
    if (a.required) out.required = true;
    if (a.optional) out.optional = true;
    if (a.computed) out.computed = true;
    if (a.sensitive) out.sensitive = true;
    if (a.deprecated) out.deprecated = true;
    attributes[name] = out;
  }
  const block: Record<string, unknown> = { attributes };
  if (schema.description) {
    block.description = schema.description;
    block.description_kind = "markdown";
  }
  return { version: schema.version, block };
}

/** A resource or data source, as far as its schema is concerned. */
interface Declared {
  typeName: string;
  schema: Schema;
}

/**
 * The document `terraform providers schema -json` (and `tofu providers schema -json`) prints for a configuration
 * using only this provider. `address` is the provider's source address on the CLI's default registry host.
 */
export function providerSchemasJson(
  def: { typeName: string; schema: Schema; resources: readonly Declared[]; dataSources: readonly Declared[] },
  address = `registry.terraform.io/${def.typeName}/${def.typeName}`,
): Record<string, unknown> {
  const byName = (items: readonly Declared[]) =>
    Object.fromEntries(
      [...items].sort((a, b) => (a.typeName < b.typeName ? -1 : 1)).map((r) => [r.typeName, schemaJson(r.schema)]),
    );
  const provider: Record<string, unknown> = { provider: schemaJson(def.schema) };
  if (def.resources.length) provider.resource_schemas = byName(def.resources);
  if (def.dataSources.length) provider.data_source_schemas = byName(def.dataSources);
  return { format_version: "1.0", provider_schemas: { [address]: provider } };
}

/** A value of a schema's object type off the wire: null, or an object with every attribute present. */
export function decodeObject(value: tfplugin6.DynamicValue, schema: Schema): ObjectValue | null {
  return value.decode(objectType(schema)) as ObjectValue | null;
}

/** A value of a schema's object type (null for "none") for the wire. */
export function encodeObject(value: ObjectValue | null, schema: Schema): tfplugin6.DynamicValue {
  return tfplugin6.DynamicValue.encode(value, objectType(schema));
}
