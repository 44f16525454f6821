// cty types as they can appear on the wire: the schema types of types.ts plus tuples, which only occur inside
// dynamic values. Also remembers the type a dynamic value arrived with, so it goes back unchanged.
import { CtyNumber, UNKNOWN, type CtyType, type CtyValue } from "./types.ts";

export type WireType =
  | CtyType
  | readonly ["tuple", readonly WireType[]]
  | readonly ["list" | "set" | "map", WireType]
  | readonly ["object", { readonly [attr: string]: WireType }];

export class CtyTypeError extends Error {
  constructor(
    message: string,
    readonly path: readonly string[] = [],
  ) {
    super(path.length ? `${path.join(".")}: ${message}` : message);
  }
}

// Arrays, objects and numbers decoded from a dynamic position, with the type they were sent with.
const dynamicTypes = new WeakMap<object, WireType>();

export function rememberDynamicType<V extends CtyValue>(value: V, type: WireType): V {
  if (value !== null && typeof value === "object") dynamicTypes.set(value, type);
  return value;
}

/** The type a value in a dynamic position goes back with: as received, else inferred from its shape. */
export function dynamicTypeOf(value: CtyValue): WireType {
  if (value !== null && typeof value === "object") {
    const known = dynamicTypes.get(value);
    if (known) return known;
  }
  if (value === null || value === UNKNOWN) return "dynamic";
  if (typeof value === "string") return "string";
  if (typeof value === "boolean") return "bool";
  if (value instanceof CtyNumber) return "number";
  if (Array.isArray(value)) return ["tuple", value.map(dynamicTypeOf)];
  const attrs: Record<string, WireType> = {};
  for (const [k, v] of Object.entries(value)) attrs[k] = dynamicTypeOf(v);
  return ["object", attrs];
}

export function parseWireType(json: string): WireType {
  return JSON.parse(json) as WireType;
}
