// The framework's planning and apply rules against the real CLIs' own checks ("Provider produced invalid plan",
// "inconsistent result after apply"), through the fixture provider (test/fixtures/fixture-provider.ts) whose
// objects live in a JSON file (FIXTURE_STORE) that outlives the provider processes.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cliBinaries, makeWorkdir, stateResources, tf, tfInit, tfOk, type Workdir } from "../helpers/tf.ts";

const HEADER = `
terraform {
  required_providers {
    fixture = { source = "fixture/fixture" }
  }
}
provider "fixture" {
  prefix = "p-"
}
`;

function fixtureWorkdir(body: string): Workdir {
  const wd = makeWorkdir({ "main.tf": HEADER + body });
  wd.env.FIXTURE_STORE = join(wd.dir, "store.json");
  return wd;
}

const setBody = (wd: Workdir, body: string) => writeFileSync(join(wd.dir, "main.tf"), HEADER + body);
const store = (wd: Workdir): Record<string, Record<string, unknown>> => {
  try {
    return JSON.parse(readFileSync(wd.env.FIXTURE_STORE!, "utf8"));
  } catch {
    return {};
  }
};

async function planExitCode(wd: Workdir, cli: Parameters<typeof tf>[1]): Promise<{ code: number; out: string }> {
  const r = await tf(wd, cli, ["plan", "-detailed-exitcode"]);
  if (r.code === 1) throw new Error(`plan failed\n${r.stdout}\n${r.stderr}`);
  return { code: r.code, out: r.stdout };
}

describe.each(cliBinaries())("$name", (cli) => {
  it("create → empty plan → update → replace → destroy", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name  = "alpha"
  value = "one"
  big   = 123456789012345678901234567890.123456789
  tags  = { team = "x" }
}
`);
    await tfInit(wd, cli);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    let state = await stateResources(wd, cli);
    expect(state["fixture_item.a"]).toMatchObject({ id: "item-alpha", label: "p-alpha", size: 42, revision: 1 });
    // The big number kept every digit through plan, apply, state and the provider's store.
    expect(JSON.stringify(store(wd)["item-alpha"]!.big)).toContain("123456789012345678901234567890.123456789");
    expect(readFileSync(join(wd.dir, "terraform.tfstate"), "utf8")).toContain("123456789012345678901234567890.123456789");
    expect((await planExitCode(wd, cli)).code).toBe(0);

    setBody(wd, `
resource "fixture_item" "a" {
  name  = "alpha"
  value = "two"
  big   = 123456789012345678901234567890.123456789
  tags  = { team = "x" }
}
`);
    const update = await planExitCode(wd, cli);
    expect(update.code).toBe(2);
    expect(update.out).toMatch(/update in-place/);
    expect(update.out).not.toMatch(/must be replaced/);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    state = await stateResources(wd, cli);
    // id kept (useStateForUnknown), size kept (optional+computed, omitted), revision recomputed.
    expect(state["fixture_item.a"]).toMatchObject({ id: "item-alpha", value: "two", size: 42, revision: 2 });
    expect((await planExitCode(wd, cli)).code).toBe(0);

    setBody(wd, `
resource "fixture_item" "a" {
  name  = "gamma"
  value = "two"
}
`);
    const replace = await planExitCode(wd, cli);
    expect(replace.out).toMatch(/must be replaced/);
    expect(replace.out).toMatch(/forces replacement/);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    expect(Object.keys(store(wd))).toEqual(["item-gamma"]);
    expect((await planExitCode(wd, cli)).code).toBe(0);

    await tfOk(wd, cli, ["destroy", "-auto-approve"]);
    expect(store(wd)).toEqual({});
  });

  it("a value unknown until another resource is created; data source reads it", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name = "alpha"
  value = "hello"
}
resource "fixture_item" "b" {
  name  = "beta"
  value = fixture_item.a.id
  size  = 7
}
data "fixture_lookup" "a" {
  id = fixture_item.a.id
}
output "looked" {
  value = data.fixture_lookup.a.value
}
`);
    await tfInit(wd, cli);
    const plan = await planExitCode(wd, cli);
    expect(plan.out).toMatch(/value\s+= \(known after apply\)/);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    const state = await stateResources(wd, cli);
    expect(state["fixture_item.b"]).toMatchObject({ value: "item-alpha", size: 7 });
    const out = await tfOk(wd, cli, ["output", "-raw", "looked"]);
    expect(out.stdout).toBe("hello");
    expect((await planExitCode(wd, cli)).code).toBe(0);
    await tfOk(wd, cli, ["destroy", "-auto-approve"]);
  });

  it("drift: an object deleted outside is planned again; a changed value shows in the plan", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name  = "alpha"
  value = "one"
}
`);
    await tfInit(wd, cli);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    const items = store(wd);
    items["item-alpha"]!.value = "changed-outside";
    writeFileSync(wd.env.FIXTURE_STORE!, JSON.stringify(items));
    const changed = await planExitCode(wd, cli);
    expect(changed.code).toBe(2);
    expect(changed.out).toMatch(/"changed-outside" -> "one"/);

    writeFileSync(wd.env.FIXTURE_STORE!, "{}");
    const gone = await planExitCode(wd, cli);
    expect(gone.code).toBe(2);
    expect(gone.out).toMatch(/will be created/);
  });

  it("import by id (command and import block)", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name  = "alpha"
  value = "one"
}
`);
    writeFileSync(
      wd.env.FIXTURE_STORE!,
      JSON.stringify({
        "item-alpha": { name: "alpha", value: "one", size: { number: "42" }, revision: { number: "5" }, label: "p-alpha" },
        "item-beta": { name: "beta", value: "two", size: { number: "3" }, revision: { number: "1" }, label: "p-beta" },
      }),
    );
    await tfInit(wd, cli);
    await tfOk(wd, cli, ["import", "fixture_item.a", "item-alpha"]);
    expect((await stateResources(wd, cli))["fixture_item.a"]).toMatchObject({ id: "item-alpha", revision: 5 });
    expect((await planExitCode(wd, cli)).code).toBe(0);

    setBody(wd, `
resource "fixture_item" "a" {
  name  = "alpha"
  value = "one"
}
import {
  to = fixture_item.b
  id = "item-beta"
}
resource "fixture_item" "b" {
  name  = "beta"
  value = "two"
  size  = 3
}
`);
    const plan = await planExitCode(wd, cli);
    expect(plan.out).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
    await tfOk(wd, cli, ["apply", "-auto-approve"]);
    expect((await planExitCode(wd, cli)).code).toBe(0);
  });

  it("upgrades a stored state of an older schema version (UpgradeResourceState)", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name  = "alpha"
  value = "legacy"
}
`);
    const host = cli.name === "tofu" ? "registry.opentofu.org" : "registry.terraform.io";
    writeFileSync(
      wd.env.FIXTURE_STORE!,
      JSON.stringify({ "item-alpha": { name: "alpha", value: "legacy", size: { number: "42" }, revision: { number: "3" }, label: "p-alpha" } }),
    );
    // Schema version 0 called `value` `text`; the stored number keeps 30 significant digits.
    writeFileSync(
      join(wd.dir, "terraform.tfstate"),
      JSON.stringify({
        version: 4,
        terraform_version: "1.5.0",
        serial: 1,
        lineage: "0b6f2f4e-1111-2222-3333-444455556666",
        outputs: {},
        resources: [
          {
            mode: "managed",
            type: "fixture_item",
            name: "a",
            provider: `provider["${host}/fixture/fixture"]`,
            instances: [
              {
                schema_version: 0,
                attributes: { id: "item-alpha", name: "alpha", text: "legacy", size: 42, revision: 3, label: "p-alpha" },
                sensitive_attributes: [],
              },
            ],
          },
        ],
      }),
    );
    await tfInit(wd, cli);
    expect((await planExitCode(wd, cli)).code).toBe(0);
    await tfOk(wd, cli, ["apply", "-auto-approve", "-refresh-only"]);
    const state = JSON.parse(readFileSync(join(wd.dir, "terraform.tfstate"), "utf8"));
    expect(state.resources[0].instances[0].schema_version).toBe(1);
    expect(state.resources[0].instances[0].attributes).toMatchObject({ value: "legacy", revision: 3 });
    expect(state.resources[0].instances[0].attributes).not.toHaveProperty("text");
  });

  it("validation errors point at the attribute, before any apply", async () => {
    const wd = fixtureWorkdir(`
resource "fixture_item" "a" {
  name  = "Not Lowercase"
  value = "forbidden"
}
`);
    await tfInit(wd, cli);
    const r = await tf(wd, cli, ["validate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("must be lowercase letters, digits, -");
    expect(r.stderr).toMatch(/main\.tf line 12/); // name
    expect(r.stderr).toContain("Forbidden value");
    expect(r.stderr).toMatch(/main\.tf line 13/); // value
    expect(store(wd)).toEqual({});
  });
});
