// The framework's planning rules, as a table: what the CLIs check in PlanResourceChange.
import { describe, expect, it } from "vitest";
import { planChange, requiresReplace } from "../../provider/framework/plan.ts";
import type { ObjectValue, Schema } from "../../provider/framework/types.ts";
import { CtyNumber, UNKNOWN } from "../../provider/protocol/cty/types.ts";

const schema: Schema = {
  version: 0,
  description: "",
  attributes: {
    name: { type: "string", description: "", required: true, requiresReplace: true },
    note: { type: "string", description: "", optional: true },
    level: { type: "number", description: "", optional: true, computed: true },
    id: { type: "string", description: "", computed: true, useStateForUnknown: true },
    etag: { type: "string", description: "", computed: true },
  },
};

const cfg = (o: Partial<ObjectValue>): ObjectValue => ({ name: null, note: null, level: null, id: null, etag: null, ...o });
const prior: ObjectValue = { name: "a", note: "n", level: new CtyNumber("5"), id: "id-1", etag: "e1" };

describe("planChange", () => {
  const cases: { title: string; prior: ObjectValue | null; config: ObjectValue | null; planned: ObjectValue | null }[] = [
    {
      title: "create: configured values as set, omitted optional+computed and computed-only unknown",
      prior: null,
      config: cfg({ name: "a", note: "n" }),
      planned: { name: "a", note: "n", level: UNKNOWN, id: UNKNOWN, etag: UNKNOWN },
    },
    {
      title: "create: unknown configuration values stay unknown; optional null stays null",
      prior: null,
      config: cfg({ name: UNKNOWN, level: new CtyNumber("1.50") }),
      planned: { name: UNKNOWN, note: null, level: new CtyNumber("1.50"), id: UNKNOWN, etag: UNKNOWN },
    },
    {
      title: "no change: exactly the prior state (omitted optional+computed keeps the prior value)",
      prior,
      config: cfg({ name: "a", note: "n" }),
      planned: prior,
    },
    {
      title: "no change when a number is written differently but equal",
      prior,
      config: cfg({ name: "a", note: "n", level: new CtyNumber("5.0") }),
      planned: prior,
    },
    {
      title: "update: computed-only becomes unknown unless useStateForUnknown",
      prior,
      config: cfg({ name: "a", note: "m" }),
      planned: { name: "a", note: "m", level: new CtyNumber("5"), id: "id-1", etag: UNKNOWN },
    },
    {
      title: "update: removing an optional value plans null",
      prior,
      config: cfg({ name: "a" }),
      planned: { name: "a", note: null, level: new CtyNumber("5"), id: "id-1", etag: UNKNOWN },
    },
    {
      title: "update: an unknown configured value is a change",
      prior,
      config: cfg({ name: "a", note: "n", level: UNKNOWN }),
      planned: { name: "a", note: "n", level: UNKNOWN, id: "id-1", etag: UNKNOWN },
    },
    { title: "destroy: null", prior, config: null, planned: null },
  ];
  it.each(cases)("$title", ({ prior: p, config, planned }) => {
    expect(planChange(schema, p, config)).toEqual(planned);
  });
});

describe("requiresReplace", () => {
  it("lists changed requiresReplace attributes on update only, unknown counting as a change", () => {
    expect(requiresReplace(schema, prior, { ...prior, name: "b" })).toEqual([["name"]]);
    expect(requiresReplace(schema, prior, { ...prior, name: UNKNOWN })).toEqual([["name"]]);
    expect(requiresReplace(schema, prior, { ...prior, note: "x" })).toEqual([]);
    expect(requiresReplace(schema, null, { ...prior, name: "b" })).toEqual([]);
    expect(requiresReplace(schema, prior, null)).toEqual([]);
  });
});
