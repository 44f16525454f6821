// The framework's planning rules for PlanResourceChange. The CLI verifies them ("Provider produced invalid
// plan"): configured values are planned exactly as written, omitted Optional+Computed values keep the prior state
// (unknown on create), and a plan that changes nothing must equal the prior state exactly.
import { ctyEqual } from "../protocol/cty/equal.ts";
import { UNKNOWN } from "../protocol/cty/types.ts";
import type { AttributePath, ObjectValue, Schema } from "./types.ts";

/**
 * The planned new state from the prior state (null on create) and the configuration (null on destroy). The
 * configuration may hold unknown values (from other resources not yet created).
 */
export function planChange(schema: Schema, prior: ObjectValue | null, config: ObjectValue | null): ObjectValue | null {
  if (config === null) return null; // destroy
  const planned: ObjectValue = {};
  const attrs = Object.entries(schema.attributes);
  for (const [name, attr] of attrs) {
    const configured = config[name] ?? null;
    if (configured !== null) planned[name] = configured;
    else if (!attr.computed) planned[name] = null;
    else planned[name] = prior === null ? UNKNOWN : (prior[name] ?? null);
  }
  if (prior === null) return planned;

  const changed = attrs.some(
    ([name, attr]) => !(attr.computed && !attr.optional) && !ctyEqual(planned[name], prior[name], attr.type),
  );
  if (!changed) return { ...completeObject(schema, prior) }; // no spurious diff: exactly the prior state
  for (const [name, attr] of attrs) {
    if (attr.computed && !attr.optional && !attr.useStateForUnknown) planned[name] = UNKNOWN;
  }
  return planned;
}

/** Attributes marked requiresReplace whose planned value differs from the prior state (unknown counts). */
export function requiresReplace(schema: Schema, prior: ObjectValue | null, planned: ObjectValue | null): AttributePath[] {
  if (prior === null || planned === null) return [];
  return Object.entries(schema.attributes)
    .filter(([name, attr]) => attr.requiresReplace && !ctyEqual(planned[name], prior[name], attr.type))
    .map(([name]) => [name]);
}

/** Every schema attribute present (null where missing), nothing else. */
export function completeObject(schema: Schema, value: Record<string, unknown>): ObjectValue {
  const out: ObjectValue = {};
  for (const name of Object.keys(schema.attributes)) out[name] = (value[name] ?? null) as ObjectValue[string];
  return out;
}
