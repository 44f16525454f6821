// iamsession_account_settings end to end: the real CLIs (Terraform and OpenTofu) run the real provider process,
// installed from a filesystem mirror, against the real API on a real SQLite file.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_SET } from "../../schemas/settings.ts";
import {
  createAccount,
  createApiKey,
  getSettings,
  putSettings,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, stateResources, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { PROVIDER, example, unique } from "../helpers/e2e.ts";

function settingsBlock(accountId: string, values: Record<string, string | undefined>, name = "this"): string {
  const lines = Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `  ${k} = ${JSON.stringify(v)}`);
  return `resource "iamsession_account_settings" "${name}" {\n  account_id = ${JSON.stringify(accountId)}\n${lines.join("\n")}\n}\n`;
}

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  /** A fresh account with an administrator key, and a workdir whose CLI talks to the API with that key. */
  async function setup(files: (accountId: string) => Record<string, string>, accountId = `acct-${unique()}`) {
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "administrator");
    env = { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: key.key };
    const wd = makeWorkdir(files(accountId), env);
    await tfOk(wd, cli, ["init", "-input=false"]);
    return { wd, accountId, token: key.key };
  }

  const plan = (wd: Workdir, extra: string[] = []) => tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode", ...extra]);
  const apply = (wd: Workdir, extra: string[] = []) => tfOk(wd, cli, ["apply", "-input=false", "-auto-approve", ...extra]);

  it("init installs the provider from the mirror and writes the lock file", async () => {
    const { wd } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, {}) }));
    const lock = readFileSync(join(wd.dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toMatch(/provider "registry\.(terraform\.io|opentofu\.org)\/iamsession\/iamsession"/);
    expect(lock).toMatch(/h1:/);
  });

  it.each([
    ["all set", { session_expiration_in_seconds: "43200", session_invalidation_in_seconds: "1800", max_sessions_per_identity: "5" }],
    ["none set", {}],
    ["mixed", { session_invalidation_in_seconds: "900", max_sessions_per_identity: NOT_SET }],
    ["all NOT_SET", { session_expiration_in_seconds: NOT_SET, session_invalidation_in_seconds: NOT_SET, max_sessions_per_identity: NOT_SET }],
  ])("create (%s), then an immediate plan is empty", async (_label, values: Record<string, string>) => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, values) }));
    // Start from values that differ, so that "none set" really leaves the server's values alone.
    const before = await getSettings(server, accountId);
    expect((await putSettings(server, accountId, { max_sessions_per_identity: "7" }, { ifMatch: before.entity_tag })).status).toBe(200);

    expect((await plan(wd)).code).toBe(2);
    await apply(wd);
    const again = await plan(wd);
    expect(again.code, again.stdout + again.stderr).toBe(0);

    const server_ = await getSettings(server, accountId);
    for (const [k, v] of Object.entries(values)) expect(server_[k as keyof typeof server_]).toBe(v);
    if (!("max_sessions_per_identity" in values)) expect(server_.max_sessions_per_identity).toBe("7");
    const state = (await stateResources(wd, cli))["iamsession_account_settings.this"]!;
    expect(state).toMatchObject({ id: accountId, account_id: accountId, entity_tag: server_.entity_tag });
    expect(state.max_sessions_per_identity).toBe(server_.max_sessions_per_identity);
  });

  it("updates in place, plans a replacement for a new account_id, and destroy resets to NOT_SET", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, { session_invalidation_in_seconds: "1800" }) }));
    await apply(wd);

    const write = (content: string) => writeFileSync(join(wd.dir, "main.tf"), content);
    write(PROVIDER + settingsBlock(accountId, { session_invalidation_in_seconds: "2700", session_expiration_in_seconds: "3600" }));
    const update = await plan(wd);
    expect(update.code).toBe(2);
    expect(update.stdout).toContain("1 to change, 0 to destroy");
    expect(update.stdout).toMatch(/session_invalidation_in_seconds\s+= "1800" -> "2700"/);
    await apply(wd);
    expect(await getSettings(server, accountId)).toMatchObject({ session_invalidation_in_seconds: "2700", session_expiration_in_seconds: "3600" });
    expect((await plan(wd)).code).toBe(0);

    const other = `other-${unique()}`;
    await createAccount(server, { accountId: other });
    write(PROVIDER + settingsBlock(other, { session_invalidation_in_seconds: "2700" }));
    const replace = await plan(wd, ["-refresh=false"]);
    expect(replace.stdout).toMatch(/must be replaced/);
    expect(replace.stdout).toMatch(/account_id\s+= "[^"]+" -> "[^"]+" # forces replacement/);

    write(PROVIDER + settingsBlock(accountId, { session_invalidation_in_seconds: "2700", session_expiration_in_seconds: "3600" }));
    await tfOk(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
    expect(await getSettings(server, accountId)).toMatchObject({
      session_expiration_in_seconds: NOT_SET,
      session_invalidation_in_seconds: NOT_SET,
      max_sessions_per_identity: NOT_SET,
    });
  });

  it("destroy_behavior = \"abandon\": set in place (empty plan after), then destroy leaves the server's values", async () => {
    const values = { session_invalidation_in_seconds: "1200", max_sessions_per_identity: "4" };
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, values) }));
    await apply(wd);
    writeFileSync(join(wd.dir, "main.tf"), PROVIDER + settingsBlock(accountId, { ...values, destroy_behavior: "abandon" }));
    const change = await plan(wd);
    expect(change.code).toBe(2);
    expect(change.stdout).toMatch(/\+ destroy_behavior\s+= "abandon"/);
    expect(change.stdout).toContain("0 to add, 1 to change, 0 to destroy");
    await apply(wd);
    expect((await plan(wd)).code).toBe(0);

    await tfOk(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
    expect(await getSettings(server, accountId)).toMatchObject(values);
    expect((await tf(wd, cli, ["state", "list"])).stdout.trim()).toBe("");

    writeFileSync(join(wd.dir, "main.tf"), PROVIDER + settingsBlock(accountId, { ...values, destroy_behavior: "keep" }));
    const bad = await tf(wd, cli, ["validate"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('destroy_behavior must be one of "reset", "abandon"');
  });

  it("detects drift made through the API (exit 2, naming the attribute), and apply restores the code's value", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, { session_invalidation_in_seconds: "900" }) }));
    await apply(wd);
    const current = await getSettings(server, accountId);
    expect((await putSettings(server, accountId, { session_invalidation_in_seconds: "3600" }, { ifMatch: current.entity_tag })).status).toBe(200);

    const drift = await plan(wd);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toMatch(/session_invalidation_in_seconds\s+= "3600" -> "900"/);
    await apply(wd);
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("900");
    expect((await plan(wd)).code).toBe(0);
  });

  it("a setting left out of the code may change on the server without a diff", async () => {
    const { wd, accountId } = await setup((id) => ({ "main.tf": PROVIDER + settingsBlock(id, { session_invalidation_in_seconds: "900" }) }));
    await apply(wd);
    const current = await getSettings(server, accountId);
    await putSettings(server, accountId, { max_sessions_per_identity: "3" }, { ifMatch: current.entity_tag });
    const result = await plan(wd);
    expect(result.code, result.stdout).toBe(0);
    // A refresh records the server's value in state, still without planning any change.
    await apply(wd, ["-refresh-only"]);
    expect((await stateResources(wd, cli))["iamsession_account_settings.this"]!.max_sessions_per_identity).toBe("3");
  });

  it("import by the CLI command (as the docs show) adopts existing settings, then plan is empty", async () => {
    // The docs' resource example and import command, run as written (with this CLI's name).
    const { wd, accountId } = await setup(() => ({ "provider.tf": example("provider/provider.tf"), "main.tf": example("resources/iamsession_account_settings/resource.tf") }), `acme-production-${unique()}`);
    const hcl = example("resources/iamsession_account_settings/resource.tf").replace("acme-production", accountId);
    writeFileSync(join(wd.dir, "main.tf"), hcl);
    const current = await getSettings(server, accountId);
    await putSettings(server, accountId, { session_invalidation_in_seconds: "1800", session_expiration_in_seconds: "43200" }, { ifMatch: current.entity_tag });

    const command = example("resources/iamsession_account_settings/import.sh")
      .split("\n")
      .find((l) => l.startsWith("terraform import"))!
      .replace("acme-production", accountId)
      .split(" ")
      .slice(1);
    await tfOk(wd, cli, command);
    const state = (await stateResources(wd, cli))["iamsession_account_settings.production"]!;
    expect(state).toMatchObject({ account_id: accountId, session_invalidation_in_seconds: "1800", max_sessions_per_identity: NOT_SET });
    const after = await plan(wd);
    expect(after.code, after.stdout + after.stderr).toBe(0);
  });

  it("an import block (as the docs show) adopts existing settings through plan and apply", async () => {
    const accountId = `acme-production-${unique()}`;
    const files = () => ({
      "provider.tf": example("provider/provider.tf"),
      "main.tf": example("resources/iamsession_account_settings/resource.tf").replace("acme-production", accountId),
      "import.tf": example("resources/iamsession_account_settings/import-block.tf").replace("acme-production", accountId),
    });
    const { wd } = await setup(files, accountId);
    const current = await getSettings(server, accountId);
    await putSettings(server, accountId, { session_invalidation_in_seconds: "1800", session_expiration_in_seconds: "43200", max_sessions_per_identity: NOT_SET }, { ifMatch: current.entity_tag });

    const planned = await plan(wd);
    expect(planned.stdout).toMatch(/1 to import, 0 to add, 0 to change, 0 to destroy/);
    await apply(wd);
    expect((await plan(wd)).code).toBe(0);
  });

  it("the docs' data source example reads the settings", async () => {
    const accountId = `acme-production-${unique()}`;
    const { wd } = await setup(
      () => ({
        "provider.tf": example("provider/provider.tf"),
        "data.tf": example("data-sources/iamsession_account_settings/data-source.tf").replace("acme-production", accountId),
      }),
      accountId,
    );
    const current = await getSettings(server, accountId);
    await putSettings(server, accountId, { session_invalidation_in_seconds: "2400" }, { ifMatch: current.entity_tag });
    await apply(wd);
    const out = await tfOk(wd, cli, ["output", "-raw", "idle_timeout"]);
    expect(out.stdout.trim()).toBe("2400");
  });

  it("an account_id known only after apply plans as unknown and applies", async () => {
    const accountId = `later-${unique()}`;
    const { wd } = await setup(
      (id) => ({
        "main.tf":
          PROVIDER +
          `resource "terraform_data" "account" {\n  input = ${JSON.stringify(id)}\n}\n` +
          `resource "iamsession_account_settings" "this" {\n  account_id = terraform_data.account.output\n  max_sessions_per_identity = "2"\n}\n`,
      }),
      accountId,
    );
    const planned = await plan(wd);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toMatch(/account_id\s+= \(known after apply\)/);
    await apply(wd);
    expect((await getSettings(server, accountId)).max_sessions_per_identity).toBe("2");
    expect((await plan(wd)).code).toBe(0);
  });
});
