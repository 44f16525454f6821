// The tfplugin6 messages shared by several RPCs, as typed values (camelCase, enums by name, cty types instead of
// JSON bytes). fromproto.ts and toproto.ts convert between these and the messages on the wire (wire.ts).
import type { CtyType } from "../cty/types.ts";

/** tfplugin6.Diagnostic.Severity. */
export const DiagnosticSeverity = { Invalid: 0, Error: 1, Warning: 2 } as const;
export type DiagnosticSeverity = (typeof DiagnosticSeverity)[keyof typeof DiagnosticSeverity];

/** tfplugin6.StringKind: how the CLI and the registry render a description. */
export const StringKind = { Plain: 0, Markdown: 1 } as const;
export type StringKind = (typeof StringKind)[keyof typeof StringKind];

/** One step into a value: an attribute, a map key or a list index. */
export type AttributePathStep = { attributeName: string } | { elementKeyString: string } | { elementKeyInt: number };

/** Where in the configuration a diagnostic or a replacement points, from the root object. */
export interface AttributePath {
  steps: AttributePathStep[];
}

export interface Diagnostic {
  severity: DiagnosticSeverity;
  summary: string;
  detail: string;
  attribute?: AttributePath;
}

export interface SchemaAttribute {
  name: string;
  type: CtyType;
  description: string;
  descriptionKind: StringKind;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  deprecated: boolean;
}

/** A schema without nested blocks: the framework declares attributes only. */
export interface SchemaBlock {
  version: number;
  description: string;
  descriptionKind: StringKind;
  attributes: SchemaAttribute[];
}

export interface Schema {
  version: number;
  block: SchemaBlock;
}

export interface ServerCapabilities {
  /** PlanResourceChange is also called at destroy (with a null proposed state). */
  planDestroy: boolean;
  /** The CLI may skip GetProviderSchema: only safe when nothing is cached per process. */
  getProviderSchemaOptional: boolean;
}
