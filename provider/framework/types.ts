// The resource framework's public surface: what a provider, its resources and data sources declare and implement.
// It knows nothing of HTTP or of iamsession; provider-server.ts answers the tfplugin6 RPCs with them.
import type { CtyType, CtyValue } from "../protocol/cty/types.ts";

/** An attribute path, as Terraform points at a place in configuration: attribute names from the root. */
export type AttributePath = readonly string[];

export type Severity = "error" | "warning";

export interface Diagnostic {
  severity: Severity;
  summary: string;
  detail?: string;
  /** When set, the CLI points at this attribute in the configuration file. */
  attribute?: AttributePath;
}

/** Collects diagnostics during a call. Errors make the call fail; warnings are shown and the call goes on. */
export class Diagnostics {
  readonly items: Diagnostic[] = [];
  error(summary: string, detail?: string, attribute?: AttributePath): void {
    this.items.push({ severity: "error", summary, detail, attribute });
  }
  warning(summary: string, detail?: string, attribute?: AttributePath): void {
    this.items.push({ severity: "warning", summary, detail, attribute });
  }
  hasErrors(): boolean {
    return this.items.some((d) => d.severity === "error");
  }
}

/** Thrown from a resource or data source method to fail the call with one clear diagnostic. */
export class DiagnosticError extends Error {
  constructor(
    readonly summary: string,
    readonly detail?: string,
    readonly attribute?: AttributePath,
  ) {
    super(detail ? `${summary}: ${detail}` : summary);
  }
}

/**
 * Checks one attribute's known, non-null configuration value. Unknown and null values are never passed to a
 * validator (they are checked again at apply, when known). Returns an error message, or undefined when valid.
 */
export type Validator = (value: CtyValue) => string | undefined;

export interface AttributeSchema {
  type: CtyType;
  description: string;
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
  deprecated?: boolean;
  /** A change of this attribute plans a replacement (destroy, then create). */
  requiresReplace?: boolean;
  /**
   * For computed attributes: keep the prior state's value in the plan instead of planning it unknown when the
   * resource is updated (ids and other values that never change after create).
   */
  useStateForUnknown?: boolean;
  validators?: Validator[];
}

export interface Schema {
  /** Bumped whenever the shape of the state changes; upgradeState receives older versions. */
  version: number;
  description: string;
  attributes: Record<string, AttributeSchema>;
}

/** An object value as resources see it: every schema attribute present, null where unset. */
export type ObjectValue = Record<string, CtyValue>;

export interface ValidateConfigRequest {
  /** May hold unknown values wherever a value comes from elsewhere: validate only what is known. */
  config: ObjectValue;
  diagnostics: Diagnostics;
}

export interface ResourceContext<P> {
  /** What the provider's configure() returned (an API client, for instance). */
  providerData: P;
  /** For warnings; errors are better thrown as DiagnosticError. */
  diagnostics: Diagnostics;
}

export interface Resource<P = unknown> {
  typeName: string;
  schema: Schema;
  /** Cross-attribute checks beyond per-attribute validators; may add warnings. */
  validateConfig?(req: ValidateConfigRequest): void;
  /** Returns the new state: every planned known value unchanged, every unknown now known. */
  create(ctx: ResourceContext<P>, planned: ObjectValue, config: ObjectValue): Promise<ObjectValue>;
  /** Returns the current state, or null when the object is gone. */
  read(ctx: ResourceContext<P>, state: ObjectValue): Promise<ObjectValue | null>;
  update(ctx: ResourceContext<P>, planned: ObjectValue, prior: ObjectValue, config: ObjectValue): Promise<ObjectValue>;
  delete(ctx: ResourceContext<P>, prior: ObjectValue): Promise<void>;
  /**
   * Turns an import id into a (partial) state; the CLI then calls read() on it. Without it the resource cannot be
   * imported.
   */
  importState?(ctx: ResourceContext<P>, id: string): Promise<ObjectValue> | ObjectValue;
  /**
   * Upgrades a stored state (raw JSON) of an older schema version to the current shape. In `state`, JSON numbers
   * are CtyNumber (exact text, never rounded); missing attributes of the result become null, extra ones are dropped.
   */
  upgradeState?(fromVersion: number, state: Record<string, unknown>): ObjectValue;
}

export interface DataSource<P = unknown> {
  typeName: string;
  schema: Schema;
  validateConfig?(req: ValidateConfigRequest): void;
  /** Returns the full object: configuration values unchanged, computed values filled in. */
  read(ctx: ResourceContext<P>, config: ObjectValue): Promise<ObjectValue>;
}

export interface ProviderDefinition<P = unknown> {
  /** The provider's local name, the prefix of its resource type names (`iamsession`). */
  typeName: string;
  version: string;
  schema: Schema;
  validateConfig?(req: ValidateConfigRequest): void;
  /** Called once with the provider configuration (unknowns possible); returns what resources get as providerData. */
  configure(config: ObjectValue, diagnostics: Diagnostics): Promise<P> | P;
  resources: Resource<P>[];
  dataSources: DataSource<P>[];
}
