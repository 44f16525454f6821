// Values as the RPCs carry them: a DynamicValue (msgpack, or JSON) and the stored state of UpgradeResourceState
// (JSON). Both are kept as bytes until a handler decodes them against the cty type it knows; the protocol has
// no schema of its own.
import { fromJsonValue, jsonObject, parseJsonExact, type JsonValue } from "../cty/json.ts";
import { decodeMsgpack, encodeMsgpack } from "../cty/msgpack.ts";
import type { CtyType, CtyValue } from "../cty/types.ts";

const utf8 = new TextDecoder();

export class DynamicValue {
  constructor(
    readonly msgpack?: Uint8Array,
    readonly json?: Uint8Array,
  ) {}

  /** What the provider sends back: always msgpack, which both CLIs read for every RPC. */
  static encode(value: CtyValue, type: CtyType): DynamicValue {
    return new DynamicValue(encodeMsgpack(value, type));
  }

  /** The value against its type; an absent or empty value is null (the CLI sends nothing for null). */
  decode(type: CtyType): CtyValue {
    if (this.msgpack?.length) return decodeMsgpack(this.msgpack, type);
    if (this.json?.length) return fromJsonValue(parseJsonExact(utf8.decode(this.json)), type);
    return null;
  }
}

/** tfplugin6.RawState: a resource's state as stored, in the schema version it was written with. */
export class RawState {
  constructor(
    readonly json: Uint8Array | undefined,
    /** Terraform 0.11's flat state; never upgraded here, only detected. */
    readonly flatmap: Readonly<Record<string, string>>,
  ) {}

  get hasJson(): boolean {
    return !!this.json?.length;
  }

  /** The stored state as a value of the current type: attributes it no longer has dropped, new ones null. */
  decode(type: CtyType): CtyValue {
    return fromJsonValue(this.parse(), type);
  }

  /** The stored state as a plain object for an upgrade hook (numbers stay exact CtyNumbers). */
  object(): Record<string, unknown> {
    return jsonObject(this.parse());
  }

  // Numbers keep their exact text (JSON.parse would round them through float64).
  private parse(): JsonValue {
    return parseJsonExact(utf8.decode(this.json ?? new Uint8Array()));
  }
}
