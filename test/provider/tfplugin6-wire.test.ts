// The typed tfplugin6 seam against the real protobuf codec: protobufjs drops fields it does not know without a
// word, so every field name of wire.ts must survive an encode/decode with the RPC's message types, and the typed
// conversions must carry each value across.
import { describe, expect, it } from "vitest";
import { serviceDefinition } from "../../provider/protocol/proto/services.ts";
import * as from from "../../provider/protocol/tfplugin6/fromproto.ts";
import { DiagnosticSeverity, DynamicValue, StringKind, type Diagnostic } from "../../provider/protocol/tfplugin6/index.ts";
import * as to from "../../provider/protocol/tfplugin6/toproto.ts";
import type { WireRequests, WireResponses } from "../../provider/protocol/tfplugin6/wire.ts";
import { CtyNumber, UNKNOWN, type CtyType } from "../../provider/protocol/cty/types.ts";

const provider = serviceDefinition("tfplugin6.Provider");

function overTheWire(rpc: string, side: "request" | "response", message: object): unknown {
  const method = provider[rpc]!;
  return side === "request"
    ? method.requestDeserialize(method.requestSerialize(message) as Buffer)
    : method.responseDeserialize(method.responseSerialize(message) as Buffer);
}

/** Bytes compared by content, whether Buffer or Uint8Array; undefined fields left out. */
function plain(v: unknown): unknown {
  if (v instanceof Uint8Array) return { bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

const bytes = (s: string) => Buffer.from(s);
const T: CtyType = ["object", { name: "string", size: "number" }];
const dv = DynamicValue.encode({ name: "a", size: new CtyNumber("1.50") }, T);
const diagnostic: Diagnostic = {
  severity: DiagnosticSeverity.Warning,
  summary: "s",
  detail: "d",
  attribute: { steps: [{ attributeName: "tags" }, { elementKeyString: "k" }, { elementKeyInt: 3 }] },
};

describe("tfplugin6 wire messages", () => {
  it("requests: every field the framework reads survives the codec and reaches the typed request", () => {
    const cases: { [K in keyof WireRequests]?: WireRequests[K] } = {
      ValidateProviderConfig: { config: { msgpack: bytes("\x80") } },
      ValidateResourceConfig: { type_name: "t", config: { msgpack: bytes("\x80") } },
      ValidateDataResourceConfig: { type_name: "t", config: { json: bytes("{}") } },
      ConfigureProvider: { terraform_version: "1.11.4", config: { msgpack: bytes("\x80") } },
      UpgradeResourceState: { type_name: "t", version: 2, raw_state: { json: bytes("{}"), flatmap: { a: "b" } } },
      ReadResource: { type_name: "t", current_state: { msgpack: bytes("\xc0") }, private: bytes("p") },
      PlanResourceChange: {
        type_name: "t",
        prior_state: { msgpack: bytes("\xc0") },
        proposed_new_state: { msgpack: bytes("\x80") },
        config: { msgpack: bytes("\x80") },
        prior_private: bytes("p"),
      },
      ApplyResourceChange: {
        type_name: "t",
        prior_state: { msgpack: bytes("\xc0") },
        planned_state: { msgpack: bytes("\x80") },
        config: { msgpack: bytes("\x80") },
        planned_private: bytes("p"),
      },
      ImportResourceState: { type_name: "t", id: "x/y" },
      ReadDataSource: { type_name: "t", config: { msgpack: bytes("\x80") } },
    };
    for (const [rpc, message] of Object.entries(cases)) {
      expect(plain(overTheWire(rpc, "request", message)), rpc).toEqual(plain(message));
    }
    const plan = from.planResourceChangeRequest(cases.PlanResourceChange!);
    expect(plain(plan)).toEqual(
      plain({
        typeName: "t",
        priorState: { msgpack: bytes("\xc0") },
        proposedNewState: { msgpack: bytes("\x80") },
        config: { msgpack: bytes("\x80") },
        priorPrivate: bytes("p"),
      }),
    );
    const upgrade = from.upgradeResourceStateRequest(cases.UpgradeResourceState!);
    expect([upgrade.typeName, upgrade.version, upgrade.rawState.hasJson, upgrade.rawState.flatmap]).toEqual(["t", 2, true, { a: "b" }]);
  });

  it("absent request fields become null values and empty bytes, never undefined", () => {
    const req = from.applyResourceChangeRequest({});
    expect(req.typeName).toBe("");
    expect(req.priorState.decode(T)).toBeNull();
    expect(req.plannedPrivate).toEqual(new Uint8Array());
    expect(from.upgradeResourceStateRequest({}).rawState.hasJson).toBe(false);
  });

  it("responses: every field toproto writes survives the codec", () => {
    const schema = {
      version: 3,
      block: {
        version: 3,
        description: "d",
        descriptionKind: StringKind.Markdown,
        attributes: [
          {
            name: "tags",
            type: ["map", "string"] as CtyType,
            description: "t",
            descriptionKind: StringKind.Markdown,
            required: true,
            optional: true,
            computed: true,
            sensitive: true,
            deprecated: true,
          },
        ],
      },
    };
    const caps = { planDestroy: true, getProviderSchemaOptional: true };
    const cases: { [K in keyof WireResponses]?: WireResponses[K] } = {
      GetMetadata: to.getMetadataResponse({
        serverCapabilities: caps,
        resources: [{ typeName: "r" }],
        dataSources: [{ typeName: "d" }],
        diagnostics: [diagnostic],
      }),
      GetProviderSchema: to.getProviderSchemaResponse({
        provider: schema,
        resourceSchemas: { r: schema },
        dataSourceSchemas: { d: schema },
        serverCapabilities: caps,
        diagnostics: [diagnostic],
      }),
      GetResourceIdentitySchemas: to.getResourceIdentitySchemasResponse({ identitySchemas: { r: { version: 1 } }, diagnostics: [diagnostic] }),
      ValidateResourceConfig: to.diagnosticsResponse({ diagnostics: [diagnostic] }),
      UpgradeResourceState: to.upgradeResourceStateResponse({ upgradedState: dv, diagnostics: [diagnostic] }),
      ReadResource: to.readResourceResponse({ newState: dv, private: bytes("p"), diagnostics: [diagnostic] }),
      PlanResourceChange: to.planResourceChangeResponse({
        plannedState: dv,
        requiresReplace: [{ steps: [{ attributeName: "name" }] }],
        plannedPrivate: bytes("p"),
        diagnostics: [diagnostic],
      }),
      ApplyResourceChange: to.applyResourceChangeResponse({ newState: dv, private: bytes("p"), diagnostics: [diagnostic] }),
      ImportResourceState: to.importResourceStateResponse({ importedResources: [{ typeName: "r", state: dv }], diagnostics: [diagnostic] }),
      ReadDataSource: to.readDataSourceResponse({ state: dv, diagnostics: [diagnostic] }),
      StopProvider: to.stopProviderResponse({ error: "busy" }),
    };
    for (const [rpc, message] of Object.entries(cases)) {
      // Decoding adds empty repeated fields (block_types) the framework never writes; everything written is there.
      expect(plain(overTheWire(rpc, "response", message)), rpc).toMatchObject(
        plain(message) as object,
      );
    }
    const attr = cases.GetProviderSchema!.provider.block.attributes[0]!;
    expect(Buffer.from(attr.type).toString()).toBe('["map","string"]');
    expect(cases.ReadResource!.diagnostics[0]).toEqual({
      severity: 2,
      summary: "s",
      detail: "d",
      attribute: { steps: [{ attribute_name: "tags" }, { element_key_string: "k" }, { element_key_int: 3 }] },
    });
  });

  it("DynamicValue: msgpack out, msgpack or JSON in, unknowns kept", () => {
    const v = DynamicValue.encode({ name: UNKNOWN, size: null }, T);
    expect(v.json).toBeUndefined();
    expect(v.decode(T)).toEqual({ name: UNKNOWN, size: null });
    expect(new DynamicValue(undefined, bytes('{"name":"a","size":12345678901234567890.5}')).decode(T)).toEqual({
      name: "a",
      size: new CtyNumber("12345678901234567890.5"),
    });
  });
});
