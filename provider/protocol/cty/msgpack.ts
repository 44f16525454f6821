// cty values <-> msgpack, driven by the cty type (docs/plugin-protocol/object-wire-format.md). Null is nil,
// unknown is any extension (we send ext 0 with no payload), numbers keep their exact decimal text.
import { Decoder, Encoder, ExtData } from "@msgpack/msgpack";
import { numberForWire, toCtyNumber } from "./number.ts";
import { CtyNumber, UNKNOWN, type CtyType, type CtyValue } from "./types.ts";
import { CtyTypeError, dynamicTypeOf, parseWireType, rememberDynamicType, type WireType } from "./wire-type.ts";

const UNKNOWN_EXT = new ExtData(0, new Uint8Array(0));
const utf8 = new TextDecoder();
const utf8Encoder = new TextEncoder();

// One encoder and one decoder for the process (the library's encode()/decode() make new ones, with a fresh
// buffer, on every call; a plan makes several calls per resource). encode() returns a copy of the bytes.
const encoder = new Encoder({ useBigInt64: true });
const decoder = new Decoder({ useBigInt64: true });

export function decodeMsgpack(bytes: Uint8Array, type: CtyType | WireType): CtyValue {
  return fromWire(decoder.decode(bytes), type, []);
}

export function encodeMsgpack(value: CtyValue, type: CtyType | WireType): Uint8Array {
  return encoder.encode(toWire(value, type, []));
}

function isPlainMap(raw: unknown): raw is Record<string, unknown> {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) && !(raw instanceof Uint8Array);
}

function fromWire(raw: unknown, type: WireType, path: string[]): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (raw instanceof ExtData) return UNKNOWN; // ext 0 (unknown) and ext 12 (refined unknown) alike
  if (type === "dynamic") {
    if (!Array.isArray(raw) || raw.length !== 2) throw new CtyTypeError("dynamic value must be [type, value]", path);
    const typeBytes = raw[0];
    const actual = parseWireType(typeof typeBytes === "string" ? typeBytes : utf8.decode(typeBytes as Uint8Array));
    return rememberDynamicType(fromWire(raw[1], actual, path), actual);
  }
  if (type === "string") {
    if (typeof raw !== "string") throw new CtyTypeError("string required", path);
    return raw;
  }
  if (type === "bool") {
    if (typeof raw !== "boolean") throw new CtyTypeError("bool required", path);
    return raw;
  }
  if (type === "number") {
    if (typeof raw !== "number" && typeof raw !== "bigint" && typeof raw !== "string") {
      throw new CtyTypeError("number required", path);
    }
    return toCtyNumber(raw);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (!Array.isArray(raw)) throw new CtyTypeError(`${kind} required`, path);
      return raw.map((v, i) => fromWire(v, inner, [...path, String(i)]));
    case "tuple":
      if (!Array.isArray(raw)) throw new CtyTypeError("tuple required", path);
      return raw.map((v, i) => fromWire(v, inner[i] ?? "dynamic", [...path, String(i)]));
    case "map": {
      if (!isPlainMap(raw)) throw new CtyTypeError("map required", path);
      const out: Record<string, CtyValue> = {};
      for (const [k, v] of Object.entries(raw)) out[k] = fromWire(v, inner, [...path, k]);
      return out;
    }
    case "object": {
      if (!isPlainMap(raw)) throw new CtyTypeError("object required", path);
      const out: Record<string, CtyValue> = {};
      for (const [attr, attrType] of Object.entries(inner)) out[attr] = fromWire(raw[attr], attrType, [...path, attr]);
      return out;
    }
  }
}

function toWire(value: CtyValue | undefined, type: WireType, path: string[]): unknown {
  if (value === undefined || value === null) return null;
  if (value === UNKNOWN) return UNKNOWN_EXT;
  if (type === "dynamic") {
    const actual = dynamicTypeOf(value);
    return [utf8Encoder.encode(JSON.stringify(actual)), toWire(value, actual, path)];
  }
  if (type === "string") {
    if (typeof value !== "string") throw new CtyTypeError(`string required, got ${describe(value)}`, path);
    return value;
  }
  if (type === "bool") {
    if (typeof value !== "boolean") throw new CtyTypeError(`bool required, got ${describe(value)}`, path);
    return value;
  }
  if (type === "number") {
    // Plain JS numbers and bigints are accepted for convenience; CtyNumber keeps the exact text.
    const v = value as unknown;
    if (!(v instanceof CtyNumber) && typeof v !== "number" && typeof v !== "bigint") {
      throw new CtyTypeError(`number required, got ${describe(value)}`, path);
    }
    return numberForWire(v as CtyNumber | number | bigint);
  }
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (!Array.isArray(value)) throw new CtyTypeError(`${kind} required, got ${describe(value)}`, path);
      return value.map((v, i) => toWire(v, inner, [...path, String(i)]));
    case "tuple":
      if (!Array.isArray(value)) throw new CtyTypeError(`tuple required, got ${describe(value)}`, path);
      return value.map((v, i) => toWire(v, inner[i] ?? "dynamic", [...path, String(i)]));
    case "map": {
      if (typeof value !== "object" || Array.isArray(value) || value instanceof CtyNumber) {
        throw new CtyTypeError(`map required, got ${describe(value)}`, path);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = toWire(v, inner, [...path, k]);
      return out;
    }
    case "object": {
      if (typeof value !== "object" || Array.isArray(value) || value instanceof CtyNumber) {
        throw new CtyTypeError(`object required, got ${describe(value)}`, path);
      }
      // Every attribute of the type is sent, null where the value lacks it.
      const out: Record<string, unknown> = {};
      for (const [attr, attrType] of Object.entries(inner)) out[attr] = toWire(value[attr], attrType, [...path, attr]);
      return out;
    }
  }
}

function describe(value: CtyValue): string {
  if (Array.isArray(value)) return "array";
  if (value instanceof CtyNumber) return "number";
  return typeof value;
}
