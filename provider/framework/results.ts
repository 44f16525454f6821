// What the framework makes of a resource's or data source's result before it becomes state: every attribute
// present and known, and, after apply, every known planned value exactly as planned.
import { ctyEqual } from "../protocol/cty/equal.ts";
import { containsUnknown, CtyNumber, type CtyValue } from "../protocol/cty/types.ts";
import { completeObject } from "./plan.ts";
import { DiagnosticError, type Diagnostics, type ObjectValue, type Schema } from "./types.ts";

/** Every attribute present, nothing unknown (the CLI rejects unknowns in state). */
export function finalState(schema: Schema, value: ObjectValue, what: string): ObjectValue {
  const out = completeObject(schema, value);
  for (const [name, v] of Object.entries(out)) {
    if (containsUnknown(v)) {
      throw new DiagnosticError("Provider returned an unknown value", `${what} left "${name}" unknown.`, [name]);
    }
  }
  return out;
}

/**
 * Known planned values must come back unchanged (the CLI checks it). Where the resource returned the same value in
 * another form (a number written differently), the planned form is kept; where it returned a different value, the
 * state records what really happened and the apply fails with an error naming the attribute, rather than a state
 * that claims the plan succeeded.
 */
export function keepPlannedValues(schema: Schema, planned: ObjectValue, result: ObjectValue, diagnostics: Diagnostics): ObjectValue {
  const out: ObjectValue = { ...result };
  for (const [name, attr] of Object.entries(schema.attributes)) {
    const p = planned[name] ?? null;
    if (containsUnknown(p)) continue;
    if (ctyEqual(p, result[name] ?? null, attr.type)) {
      out[name] = p;
    } else {
      diagnostics.error(
        "Applied value differs from the plan",
        `The plan said ${name} = ${describe(p)}, but after apply it is ${describe(result[name] ?? null)}. ` +
          "The state records the value as it is now; run plan to see the difference.",
        [name],
      );
    }
  }
  return out;
}

function describe(v: CtyValue): string {
  if (v === null) return "null";
  if (v instanceof CtyNumber) return v.text;
  return JSON.stringify(v);
}
