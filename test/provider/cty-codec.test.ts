// The cty msgpack and JSON codecs: exact numbers, unknowns, every attribute present, dynamic values.
import { encode, ExtData } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { ctyEqual } from "../../provider/protocol/cty/equal.ts";
import { fromJsonValue, parseJsonExact } from "../../provider/protocol/cty/json.ts";
import { decodeMsgpack, encodeMsgpack } from "../../provider/protocol/cty/msgpack.ts";
import { exactDecimalOfDouble, numbersEqual } from "../../provider/protocol/cty/number.ts";
import { CtyNumber, UNKNOWN, type CtyType, type CtyValue } from "../../provider/protocol/cty/types.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const roundTrip = (v: CtyValue, t: CtyType) => decodeMsgpack(encodeMsgpack(v, t), t);

describe("msgpack", () => {
  it("null and unknown", () => {
    expect(hex(encodeMsgpack(null, "string"))).toBe("c0");
    expect(decodeMsgpack(Buffer.from("d40000", "hex"), "string")).toBe(UNKNOWN); // what the CLIs send
    expect(roundTrip(UNKNOWN, "number")).toBe(UNKNOWN);
    // Refined unknown (ext 12): not-null + string prefix "ab"
    const refined = encode(new ExtData(12, encode(new Map<number, unknown>([[1, false], [2, "ab"]]))));
    expect(decodeMsgpack(refined, "string")).toBe(UNKNOWN);
    // Any other extension code is an unknown too.
    expect(decodeMsgpack(encode(new ExtData(7, new Uint8Array([1]))), ["list", "string"])).toBe(UNKNOWN);
  });

  it("primitives", () => {
    expect(roundTrip("héllo", "string")).toBe("héllo");
    expect(roundTrip(true, "bool")).toBe(true);
    expect(roundTrip(new CtyNumber("42"), "number")).toEqual(new CtyNumber("42"));
    expect(hex(encodeMsgpack(new CtyNumber("42"), "number"))).toBe("2a");
  });

  it("numbers never lose precision", () => {
    // int64/uint64 extremes arrive as msgpack integers
    expect(decodeMsgpack(Buffer.from("d38000000000000000", "hex"), "number")).toEqual(new CtyNumber("-9223372036854775808"));
    expect(decodeMsgpack(Buffer.from("cfffffffffffffffff", "hex"), "number")).toEqual(new CtyNumber("18446744073709551615"));
    expect(hex(encodeMsgpack(new CtyNumber("18446744073709551615"), "number"))).toBe("cfffffffffffffffff");
    expect(hex(encodeMsgpack(new CtyNumber("-9223372036854775808"), "number"))).toBe("d38000000000000000");
    // Beyond 64 bits or not float64-exact: a decimal string, both ways
    for (const text of ["123456789012345678901234567890", "0.1", "3.14159265358979323846264338327950288", "1e400"]) {
      const wire = encode(text);
      const v = decodeMsgpack(wire, "number");
      expect(v).toEqual(new CtyNumber(text));
      expect(hex(encodeMsgpack(v, "number"))).toBe(hex(wire));
    }
    // float64 values become their exact decimal value (not JS's shortest text, which is another number)
    expect(decodeMsgpack(encode(1.5), "number")).toEqual(new CtyNumber("1.5"));
    expect(exactDecimalOfDouble(2 ** -30)).toBe("0.000000000931322574615478515625");
    expect(exactDecimalOfDouble(0.1)).toBe("0.1000000000000000055511151231257827021181583404541015625");
    expect(exactDecimalOfDouble(1e21)).toBe("1000000000000000000000");
    expect(numbersEqual(new CtyNumber("1.50"), new CtyNumber("15e-1"))).toBe(true);
    expect(numbersEqual(new CtyNumber("1.5"), new CtyNumber("1.5000000000000000001"))).toBe(false);
  });

  it("objects carry every attribute; missing ones decode to null", () => {
    const t: CtyType = ["object", { a: "string", b: "number", c: ["list", "bool"] }];
    expect(hex(encodeMsgpack({ a: "x" }, t))).toBe(hex(encode({ a: "x", b: null, c: null })));
    expect(decodeMsgpack(encode({ a: "x" }), t)).toEqual({ a: "x", b: null, c: null });
    const v = { a: UNKNOWN, b: new CtyNumber("1"), c: [true, UNKNOWN, false] } as CtyValue;
    expect(roundTrip(v, t)).toEqual(v);
  });

  it("collections", () => {
    const t: CtyType = ["map", ["set", "string"]];
    expect(roundTrip({ k: ["a", "b"], e: [] }, t)).toEqual({ k: ["a", "b"], e: [] });
  });

  it("dynamic values keep the type they came with", () => {
    const t: CtyType = ["object", { d: "dynamic" }];
    const wire = encode({ d: [new TextEncoder().encode('["list","string"]'), ["a", "b"]] });
    const v = decodeMsgpack(wire, t);
    expect(v).toEqual({ d: ["a", "b"] });
    expect(hex(encodeMsgpack(v, t))).toBe(hex(wire));
    // Values built by a resource get an inferred type (tuple / object).
    const built = decodeMsgpack(encodeMsgpack({ d: ["a", new CtyNumber("1")] }, t), t);
    expect(built).toEqual({ d: ["a", new CtyNumber("1")] });
    expect(decodeMsgpack(encode({ d: null }), t)).toEqual({ d: null });
    expect(decodeMsgpack(encode({ d: new ExtData(0, new Uint8Array()) }), t)).toEqual({ d: UNKNOWN });
  });

  it("rejects a value of the wrong type with its path", () => {
    expect(() => encodeMsgpack({ a: 1 as unknown as CtyValue }, ["object", { a: "string" }])).toThrow(/a: string required/);
  });
});

describe("JSON (stored state)", () => {
  it("keeps numbers exact and strings intact", () => {
    const raw = parseJsonExact('{"n": 123456789012345678901234567890.000001, "s": "a\\"\\u00e9", "l": [1, -2.5e3], "o": {}}');
    expect(raw).toEqual({
      n: new CtyNumber("123456789012345678901234567890.000001"),
      s: 'a"é',
      l: [new CtyNumber("1"), new CtyNumber("-2.5e3")],
      o: {},
    });
    expect(() => parseJsonExact("{")).toThrow(SyntaxError);
    expect(() => parseJsonExact("[1] x")).toThrow(SyntaxError);
  });

  it("reads a text without numbers the same way (its fast path), digits inside strings included", () => {
    const text = '{"id":"a-1","tag":"x\\"9\\\\","n":null,"b":[true,false],"__proto__":"p","o":{"k":"1800"}}';
    const raw = parseJsonExact(text) as Record<string, unknown>;
    expect(raw).toEqual(JSON.parse(text));
    expect(Object.hasOwn(raw, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    // a number hidden after a string with an escaped quote still goes through the exact parser
    expect(parseJsonExact('{"s":"a\\"","n":0.1000000000000000055511151231257827}')).toMatchObject({
      n: new CtyNumber("0.1000000000000000055511151231257827"),
    });
    // invalid text without numbers still gets the exact parser's error, with its offset
    expect(() => parseJsonExact('{"a":"x",}')).toThrow(/invalid JSON at offset/);
  });

  it("converts to the current schema: unknown attributes dropped, missing ones null", () => {
    const t: CtyType = ["object", { a: "string", n: "number", new: "bool", d: "dynamic" }];
    const v = fromJsonValue(parseJsonExact('{"a":"x","n":1.10,"old":true,"d":{"value":["p"],"type":["list","string"]}}'), t);
    expect(v).toEqual({ a: "x", n: new CtyNumber("1.10"), new: null, d: ["p"] });
    // …and the dynamic value goes back to msgpack with its list type
    expect(hex(encodeMsgpack(v, t))).toContain(Buffer.from('["list","string"]').toString("hex"));
  });
});

describe("equality", () => {
  it("sets ignore order, numbers compare by value", () => {
    expect(ctyEqual(["a", "b"], ["b", "a"], ["set", "string"])).toBe(true);
    expect(ctyEqual(["a", "b"], ["b", "a"], ["list", "string"])).toBe(false);
    expect(ctyEqual({ x: new CtyNumber("1.0") }, { x: new CtyNumber("1") })).toBe(true);
    expect(ctyEqual(UNKNOWN, "a")).toBe(false);
    expect(ctyEqual(null, undefined)).toBe(true);
  });
});
