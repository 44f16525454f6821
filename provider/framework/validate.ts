// Configuration checks the framework does for every provider, resource and data source: required, not
// configurable (computed-only), and the per-attribute validators on known values.
import { containsUnknown } from "../protocol/cty/types.ts";
import type { Diagnostics, ObjectValue, Schema, ValidateConfigRequest } from "./types.ts";

export function validateAttributes(schema: Schema, config: ObjectValue, diagnostics: Diagnostics): void {
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const value = config[name] ?? null;
    if (value === null) {
      if (attr.required) {
        diagnostics.error("Missing required argument", `The argument "${name}" is required.`, [name]);
      }
      continue;
    }
    if (attr.computed && !attr.optional && !attr.required) {
      diagnostics.error("Value for unconfigurable attribute", `"${name}" is set by the provider; remove it.`, [name]);
      continue;
    }
    // Unknown values are checked again when known (at apply).
    if (containsUnknown(value)) continue;
    for (const validator of attr.validators ?? []) {
      const message = validator(value);
      if (message !== undefined) diagnostics.error(`Invalid value for "${name}"`, message, [name]);
    }
  }
}

/** A resource's or data source's configuration: the framework's checks, then its own; nothing to check when null. */
export function validateConfigOf(
  declared: { schema: Schema; validateConfig?(req: ValidateConfigRequest): void },
  config: ObjectValue | null,
  diagnostics: Diagnostics,
): void {
  if (config === null) return;
  validateAttributes(declared.schema, config, diagnostics);
  declared.validateConfig?.({ config, diagnostics });
}
