// cty values from JSON (stored state arrives as JSON in UpgradeResourceState). JSON.parse would round numbers
// through float64, so this parser keeps every number as its exact text (CtyNumber).
import { CtyNumber, type CtyType, type CtyValue } from "./types.ts";
import { CtyTypeError, rememberDynamicType, type WireType } from "./wire-type.ts";

/** A parsed JSON document whose numbers are CtyNumber (exact text as written). */
export type JsonValue = null | boolean | string | CtyNumber | JsonValue[] | { [key: string]: JsonValue };

// A JSON text with no digit outside its strings has no numbers, so JSON.parse reads it exactly, and several times
// faster than the parser below (stored states of string attributes only, as UpgradeResourceState gets on every plan).
const STRINGS = /"(?:[^"\\]|\\.)*"/g;

export function parseJsonExact(text: string): JsonValue {
  if (!/\d/.test(text.replace(STRINGS, ""))) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch {
      // Invalid: the parser below says where.
    }
  }
  let i = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`invalid JSON at offset ${i}: ${what}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === " " || text[i] === "\n" || text[i] === "\r" || text[i] === "\t")) i++;
  };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: Record<string, JsonValue> = {};
      ws();
      if (text[i] === "}") {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("object key expected");
        const key = string();
        ws();
        if (text[i++] !== ":") fail("':' expected");
        Object.defineProperty(out, key, { value: value(), enumerable: true, writable: true, configurable: true });
        ws();
        const sep = text[i++];
        if (sep === "}") return out;
        if (sep !== ",") fail("',' or '}' expected");
      }
    }
    if (c === "[") {
      i++;
      const out: JsonValue[] = [];
      ws();
      if (text[i] === "]") {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        const sep = text[i++];
        if (sep === "]") return out;
        if (sep !== ",") fail("',' or ']' expected");
      }
    }
    if (c === '"') return string();
    if (text.startsWith("true", i)) return (i += 4), true;
    if (text.startsWith("false", i)) return (i += 5), false;
    if (text.startsWith("null", i)) return (i += 4), null;
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 4096));
    if (!m) return fail("value expected");
    i += m[0].length;
    return new CtyNumber(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    let escaped = false;
    for (; i < text.length; i++) {
      const ch = text[i];
      if (escaped) escaped = false;
      else if (ch === "\\") escaped = true;
      else if (ch === '"') break;
    }
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string; // escapes handled by the platform
  };
  const result = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return result;
}

/**
 * Converts a parsed JSON value to a cty value of the given type (cty's JSON encoding: objects by attribute,
 * dynamic as {"value","type"}). Object attributes missing from the JSON become null; extra ones are dropped.
 */
export function fromJsonValue(raw: JsonValue | undefined, type: CtyType | WireType, path: string[] = []): CtyValue {
  if (raw === null || raw === undefined) return null;
  if (type === "dynamic") {
    if (typeof raw !== "object" || Array.isArray(raw) || raw instanceof CtyNumber || !("type" in raw)) {
      throw new CtyTypeError("dynamic value must be {value, type}", path);
    }
    const actual = toWireType(raw.type ?? null);
    return rememberDynamicType(fromJsonValue(raw.value, actual, path), actual);
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
    if (raw instanceof CtyNumber) return raw;
    if (typeof raw === "string") return new CtyNumber(raw); // cty accepts numbers given as strings
    throw new CtyTypeError("number required", path);
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "tuple") {
    if (!Array.isArray(raw)) throw new CtyTypeError(`${kind} required`, path);
    return raw.map((v, i) =>
      fromJsonValue(v, kind === "tuple" ? ((inner as readonly WireType[])[i] ?? "dynamic") : (inner as WireType), [
        ...path,
        String(i),
      ]),
    );
  }
  if (typeof raw !== "object" || Array.isArray(raw) || raw instanceof CtyNumber) {
    throw new CtyTypeError(`${kind} required`, path);
  }
  const out: Record<string, CtyValue> = {};
  if (kind === "map") {
    for (const [k, v] of Object.entries(raw)) out[k] = fromJsonValue(v, inner as WireType, [...path, k]);
  } else {
    for (const [attr, attrType] of Object.entries(inner as Record<string, WireType>)) {
      out[attr] = fromJsonValue(Object.hasOwn(raw, attr) ? raw[attr] : null, attrType, [...path, attr]);
    }
  }
  return out;
}

function toWireType(raw: JsonValue): WireType {
  return JSON.parse(JSON.stringify(raw, (_k, v) => (v instanceof CtyNumber ? Number(v.text) : v))) as WireType;
}

/** Plain JSON-ish object for upgradeState hooks: numbers stay CtyNumber so nothing is rounded. */
export function jsonObject(raw: JsonValue): Record<string, unknown> {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw) || raw instanceof CtyNumber) {
    throw new CtyTypeError("state must be a JSON object");
  }
  return raw;
}
