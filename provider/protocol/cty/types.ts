// cty types and values as the provider sees them. Knows nothing of iamsession.

/**
 * A cty type in the JSON form Terraform uses in schemas (`"string"`, `["list","string"]`,
 * `["object",{"a":"string"}]`, `"dynamic"`). The same form is sent as Schema.Attribute.type bytes.
 */
export type CtyType =
  | "string"
  | "number"
  | "bool"
  | "dynamic"
  | readonly ["list", CtyType]
  | readonly ["set", CtyType]
  | readonly ["map", CtyType]
  | readonly ["object", { readonly [attr: string]: CtyType }];

/** The one unknown value. Refined unknowns decode to it too (refinements are dropped). */
export const UNKNOWN: unique symbol = Symbol.for("cty.unknown");
export type Unknown = typeof UNKNOWN;

/**
 * A cty number, kept as the exact decimal text it arrived as (never reformatted, never rounded through a float64).
 */
export class CtyNumber {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
}

/**
 * A decoded cty value: null, unknown, a primitive, a list/set (array) or a map/object (plain object, every
 * attribute of an object type present).
 */
export type CtyValue =
  | null
  | Unknown
  | string
  | boolean
  | CtyNumber
  | CtyValue[]
  | { [key: string]: CtyValue };

export function isUnknown(v: unknown): v is Unknown {
  return v === UNKNOWN;
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(v: CtyValue): boolean {
  if (v === UNKNOWN) return true;
  if (v === null || typeof v !== "object" || v instanceof CtyNumber) return false;
  if (Array.isArray(v)) return v.some(containsUnknown);
  return Object.values(v).some(containsUnknown);
}
