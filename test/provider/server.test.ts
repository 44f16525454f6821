// The tfplugin6 handlers of the framework, called directly with protocol messages (no process, no CLI): the
// typed handlers behind the protocol's wire conversions, as the plugin server calls them.
import { describe, expect, it } from "vitest";
import { createProviderServer } from "../../provider/framework/provider-server.ts";
import { DiagnosticError, type ObjectValue, type ProviderDefinition, type Resource } from "../../provider/framework/types.ts";
import { decodeMsgpack, encodeMsgpack } from "../../provider/protocol/cty/msgpack.ts";
import { CtyNumber, UNKNOWN, type CtyType } from "../../provider/protocol/cty/types.ts";
import type { Logger } from "../../provider/protocol/logger.ts";
import { wireProvider } from "../../provider/protocol/tfplugin6/service.ts";
import type { WireDynamicValue } from "../../provider/protocol/tfplugin6/wire.ts";

const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const T: CtyType = ["object", { id: "string", name: "string", size: "number" }];
const dv = (v: ObjectValue | null) => ({ msgpack: encodeMsgpack(v, T) });
const val = (m: WireDynamicValue | undefined) => decodeMsgpack(m!.msgpack!, T);
const createProviderHandlers = <P>(def: ProviderDefinition<P>, log: Logger) => wireProvider(createProviderServer(def, log));

function provider(overrides: Partial<Resource<string>> = {}): ProviderDefinition<string> {
  return {
    typeName: "t",
    version: "0.0.1",
    schema: { version: 0, description: "", attributes: { key: { type: "string", description: "", optional: true } } },
    configure: (config, diagnostics) => {
      if (config.key === "bad") diagnostics.error("Bad key", undefined, ["key"]);
      return "client";
    },
    resources: [
      {
        typeName: "t_thing",
        schema: {
          version: 2,
          description: "",
          attributes: {
            id: { type: "string", description: "", computed: true },
            name: { type: "string", description: "", required: true, validators: [(v) => (v === "x" ? "not x" : undefined)] },
            size: { type: "number", description: "", optional: true },
          },
        },
        create: async (ctx, planned) => ({ ...planned, id: `${ctx.providerData}-1` }),
        read: async (_ctx, state) => (state.name === "gone" ? null : state),
        update: async (_ctx, planned) => planned,
        delete: async () => {},
        importState: (_ctx, id) => ({ id }),
        upgradeState: (from, state) => ({ ...state, name: `v${from}:${String(state.old_name)}` }) as ObjectValue,
        ...overrides,
      },
    ],
    dataSources: [],
  };
}

async function configured(def = provider()) {
  const h = createProviderHandlers(def, quiet);
  const r = await h.ConfigureProvider!({ config: { msgpack: encodeMsgpack({ key: "k" }, ["object", { key: "string" }]) } });
  expect(r.diagnostics).toEqual([]);
  return h;
}

describe("provider handlers", () => {
  it("schema: attribute types as JSON bytes, versions, markdown descriptions", async () => {
    const h = createProviderHandlers(provider(), quiet);
    const r = await h.GetProviderSchema!({});
    const s = r.resource_schemas.t_thing!;
    expect(s.version).toBe(2);
    expect(s.block.attributes.map((a: { name: string }) => a.name)).toEqual(["id", "name", "size"]);
    expect(Buffer.from(s.block.attributes[2]!.type).toString()).toBe('"number"');
    expect(s.block.attributes[1]).toMatchObject({ required: true, description_kind: 1 });
    expect(r.server_capabilities).toEqual({ plan_destroy: false, get_provider_schema_optional: true });
  });

  it("validation: validators on known values only, with the attribute path", async () => {
    const h = createProviderHandlers(provider(), quiet);
    const bad = await h.ValidateResourceConfig!({ type_name: "t_thing", config: dv({ id: null, name: "x", size: null }) });
    expect(bad.diagnostics).toEqual([
      { severity: 1, summary: 'Invalid value for "name"', detail: "not x", attribute: { steps: [{ attribute_name: "name" }] } },
    ]);
    const unknown = await h.ValidateResourceConfig!({ type_name: "t_thing", config: dv({ id: null, name: UNKNOWN, size: null }) });
    expect(unknown.diagnostics).toEqual([]);
    const computed = await h.ValidateResourceConfig!({ type_name: "t_thing", config: dv({ id: "set", name: "a", size: null }) });
    expect(computed.diagnostics[0]!.summary).toBe("Value for unconfigurable attribute");
  });

  it("calls before ConfigureProvider get a clear error, and a failed configure stays unconfigured", async () => {
    const h = createProviderHandlers(provider(), quiet);
    const r = await h.ApplyResourceChange!({ type_name: "t_thing", prior_state: dv(null), planned_state: dv({ id: UNKNOWN, name: "a", size: null }), config: dv({ id: null, name: "a", size: null }) });
    expect(r.diagnostics[0]!.summary).toBe("Provider not configured");
    expect(val(r.new_state)).toBeNull();
    const c = await h.ConfigureProvider!({ config: { msgpack: encodeMsgpack({ key: "bad" }, ["object", { key: "string" }]) } });
    expect(c.diagnostics[0]).toMatchObject({ summary: "Bad key", attribute: { steps: [{ attribute_name: "key" }] } });
  });

  it("apply: create keeps planned values exactly and fills unknowns", async () => {
    const h = await configured();
    const r = await h.ApplyResourceChange!({
      type_name: "t_thing",
      prior_state: dv(null),
      planned_state: dv({ id: UNKNOWN, name: "a", size: new CtyNumber("1.50") }),
      config: dv({ id: null, name: "a", size: new CtyNumber("1.50") }),
      planned_private: Buffer.from("p"),
    });
    expect(r.diagnostics).toEqual([]);
    expect(val(r.new_state)).toEqual({ id: "client-1", name: "a", size: new CtyNumber("1.50") });
    expect(Buffer.from(r.private!).toString()).toBe("p");
  });

  it("apply: a number written differently keeps the planned form; a different value is an error and the state tells the truth", async () => {
    const h = await configured(provider({ create: async (_ctx, planned) => ({ ...planned, id: "i", size: new CtyNumber("1.5") }) }));
    const same = await h.ApplyResourceChange!({
      type_name: "t_thing",
      prior_state: dv(null),
      planned_state: dv({ id: UNKNOWN, name: "a", size: new CtyNumber("1.50") }),
      config: dv({ id: null, name: "a", size: new CtyNumber("1.50") }),
    });
    expect(same.diagnostics).toEqual([]);
    expect(val(same.new_state)).toEqual({ id: "i", name: "a", size: new CtyNumber("1.50") });

    const differs = await h.ApplyResourceChange!({
      type_name: "t_thing",
      prior_state: dv(null),
      planned_state: dv({ id: UNKNOWN, name: "a", size: new CtyNumber("2") }),
      config: dv({ id: null, name: "a", size: new CtyNumber("2") }),
    });
    expect(differs.diagnostics).toMatchObject([
      { severity: 1, summary: "Applied value differs from the plan", attribute: { steps: [{ attribute_name: "size" }] } },
    ]);
    expect(differs.diagnostics[0]!.detail).toContain("size = 2, but after apply it is 1.5");
    expect(val(differs.new_state)).toEqual({ id: "i", name: "a", size: new CtyNumber("1.5") });
  });

  it("apply failures: create → null state; update → prior state; errors become diagnostics", async () => {
    const h = await configured(
      provider({
        create: async () => {
          throw new DiagnosticError("Nope", "create failed", ["name"]);
        },
        update: async () => {
          throw new Error("socket hang up");
        },
        read: async () => ({ id: "i", name: "a", size: UNKNOWN }),
      }),
    );
    const c = await h.ApplyResourceChange!({ type_name: "t_thing", prior_state: dv(null), planned_state: dv({ id: UNKNOWN, name: "a", size: null }), config: dv({ id: null, name: "a", size: null }) });
    expect(val(c.new_state)).toBeNull();
    expect(c.diagnostics).toEqual([{ severity: 1, summary: "Nope", detail: "create failed", attribute: { steps: [{ attribute_name: "name" }] } }]);
    const prior = { id: "i", name: "a", size: null };
    const u = await h.ApplyResourceChange!({ type_name: "t_thing", prior_state: dv(prior), planned_state: dv({ ...prior, name: "b" }), config: dv({ id: null, name: "b", size: null }) });
    expect(val(u.new_state)).toEqual(prior);
    expect(u.diagnostics[0]).toMatchObject({ summary: "Unexpected provider error", detail: "socket hang up" });
    const read = await h.ReadResource!({ type_name: "t_thing", current_state: dv(prior) });
    expect(read.diagnostics[0]!.summary).toBe("Provider returned an unknown value");
    expect(val(read.new_state)).toEqual(prior); // an error never wipes the state
  });

  it("read: null means gone; delete: null state", async () => {
    const h = await configured();
    const r = await h.ReadResource!({ type_name: "t_thing", current_state: dv({ id: "i", name: "gone", size: null }) });
    expect(val(r.new_state)).toBeNull();
    const d = await h.ApplyResourceChange!({ type_name: "t_thing", prior_state: dv({ id: "i", name: "a", size: null }), planned_state: dv(null), config: dv(null) });
    expect(val(d.new_state)).toBeNull();
    expect(d.diagnostics).toEqual([]);
  });

  it("plan: requires_replace paths and planned private", async () => {
    const def = provider();
    def.resources[0]!.schema.attributes.name!.requiresReplace = true;
    const h = await configured(def);
    const prior = { id: "i", name: "a", size: null };
    const r = await h.PlanResourceChange!({ type_name: "t_thing", prior_state: dv(prior), proposed_new_state: dv({ ...prior, name: "b" }), config: dv({ id: null, name: "b", size: null }), prior_private: Buffer.from("x") });
    expect(val(r.planned_state)).toEqual({ id: UNKNOWN, name: "b", size: null });
    expect(r.requires_replace).toEqual([{ steps: [{ attribute_name: "name" }] }]);
    expect(Buffer.from(r.planned_private!).toString()).toBe("x");
  });

  it("upgrade: same version re-encodes (dropping unknown attributes), older calls upgradeState, newer fails", async () => {
    const h = createProviderHandlers(provider(), quiet);
    const json = (s: string) => ({ json: Buffer.from(s) });
    const same = await h.UpgradeResourceState!({ type_name: "t_thing", version: 2, raw_state: json('{"id":"i","name":"a","size":12345678901234567890.5,"gone":1}') });
    expect(val(same.upgraded_state)).toEqual({ id: "i", name: "a", size: new CtyNumber("12345678901234567890.5") });
    const old = await h.UpgradeResourceState!({ type_name: "t_thing", version: 1, raw_state: json('{"id":"i","old_name":"z"}') });
    expect(val(old.upgraded_state)).toEqual({ id: "i", name: "v1:z", size: null });
    const newer = await h.UpgradeResourceState!({ type_name: "t_thing", version: 3, raw_state: json("{}") });
    expect(newer.diagnostics[0]!.summary).toBe("Resource state from a newer provider");
  });

  it("import returns the type name and a complete object", async () => {
    const h = await configured();
    const r = await h.ImportResourceState!({ type_name: "t_thing", id: "abc" });
    expect(r.imported_resources![0]!.type_name).toBe("t_thing");
    expect(val(r.imported_resources![0]!.state)).toEqual({ id: "abc", name: null, size: null });
  });

  it("unknown type names are reported, not thrown", async () => {
    const h = createProviderHandlers(provider(), quiet);
    const r = await h.ValidateResourceConfig!({ type_name: "t_other", config: dv(null) });
    expect(r.diagnostics[0]!.summary).toBe("Unknown resource type");
  });
});
