// Which resource types the drift check covers, and how. The list of types is the provider's own schema
// (schemas/provider.schema.json, regenerated from the provider and checked against `providers schema -json`): every
// managed resource type of the provider is checked, attribute by attribute, for every attribute a configuration can
// set. What differs per type — whose resource it is and where "who changed it" comes from — is declared in COVERAGE;
// test/unit/drift-coverage.test.ts fails when the provider has a resource type COVERAGE does not declare.
import { readFileSync } from "node:fs";
import { SETTINGS, TRUSTED_PROFILE_SESSION_DURATION, type SettingDefinition } from "../schemas/settings.ts";
import { OWNERS, type OwnerKind } from "../schemas/owners.ts";

interface SchemaAttribute {
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
}

interface ProviderSchemaFile {
  provider_schemas: Record<string, { resource_schemas: Record<string, { block: { attributes: Record<string, SchemaAttribute> } }> }>;
}

const schemaFile = JSON.parse(
  readFileSync(new URL("../schemas/provider.schema.json", import.meta.url), "utf8"),
) as ProviderSchemaFile;
const providerSchema = Object.values(schemaFile.provider_schemas)[0]!;

/** How the check treats one resource type. */
export interface ResourceCoverage {
  /** The account or enterprise the resource belongs to, and the attribute naming it. */
  owner: { kind: OwnerKind; attribute: string };
  /** Where "who changed it" comes from: the owner's settings history, or nowhere (with the reason, for the report). */
  history: { from: "owner_settings" } | { from: "none"; reason: string };
}

const owner = (kind: OwnerKind) => ({ kind, attribute: OWNERS[kind].idField });

export const COVERAGE: Record<string, ResourceCoverage> = {
  iamsession_account_settings: { owner: owner("account"), history: { from: "owner_settings" } },
  iamsession_enterprise_settings: { owner: owner("enterprise"), history: { from: "owner_settings" } },
  iamsession_trusted_profile: {
    owner: owner("account"),
    history: { from: "none", reason: "the API keeps no change history for trusted profiles" },
  },
};

export interface CheckedType {
  type: string;
  /** The attributes a configuration can set (required or optional): the ones compared. */
  attributes: string[];
  coverage: ResourceCoverage;
}

/** Every managed resource type of the provider, in the schema's order. Throws for a type COVERAGE does not declare. */
export function checkedTypes(): CheckedType[] {
  return Object.entries(providerSchema.resource_schemas).map(([type, s]) => {
    const coverage = COVERAGE[type];
    if (!coverage) throw new Error(`the drift check does not cover resource type ${type}: declare it in drift/resource-types.ts`);
    const attributes = Object.entries(s.block.attributes)
      .filter(([, a]) => a.required || a.optional)
      .map(([name]) => name);
    return { type, attributes, coverage };
  });
}

/** The provider's resource types, as the schema lists them. */
export function providerResourceTypes(): string[] {
  return Object.keys(providerSchema.resource_schemas);
}

const LIMITS: readonly SettingDefinition[] = [...SETTINGS, TRUSTED_PROFILE_SESSION_DURATION];

/** The limit an attribute stands for (a session time, a session count), if it is one: looser means a higher limit. */
export function limitOf(attribute: string): SettingDefinition | undefined {
  return LIMITS.find((d) => d.name === attribute);
}
