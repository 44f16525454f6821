// iamsession_account_settings when things go wrong: bad values, the API down, a wrong token, a concurrent change,
// and secrets. Real CLIs, real provider process, real API on a real SQLite file.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_EXPIRATION, SESSION_INVALIDATION, MAX_SESSIONS_PER_IDENTITY } from "../../schemas/settings.ts";
import { createAccount, createApiKey, getSettings, putSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { REQUIRED_PROVIDERS, apiRequests, unique } from "../helpers/e2e.ts";

const BAD_VALUES: [string, string, typeof SESSION_EXPIRATION][] = [
  ["session_expiration_in_seconds", "899", SESSION_EXPIRATION],
  ["session_expiration_in_seconds", "86401", SESSION_EXPIRATION],
  ["session_expiration_in_seconds", "0900", SESSION_EXPIRATION],
  ["session_invalidation_in_seconds", "7201", SESSION_INVALIDATION],
  ["session_invalidation_in_seconds", "not_set", SESSION_INVALIDATION],
  ["session_invalidation_in_seconds", "1e3", SESSION_INVALIDATION],
  ["max_sessions_per_identity", "0", MAX_SESSIONS_PER_IDENTITY],
  ["max_sessions_per_identity", " 5", MAX_SESSIONS_PER_IDENTITY],
  ["max_sessions_per_identity", "", MAX_SESSIONS_PER_IDENTITY],
];

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function account() {
    const accountId = `acct-${unique()}`;
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "editor");
    return { accountId, token: key.key };
  }

  async function workdir(main: string, env: NodeJS.ProcessEnv): Promise<Workdir> {
    const wd = makeWorkdir({ "main.tf": REQUIRED_PROVIDERS + main }, env);
    await tfOk(wd, cli, ["init", "-input=false"]);
    return wd;
  }

  it.each(BAD_VALUES)("%s = %j fails validate and plan with the attribute and range, before any API call", async (attr, value, def) => {
    const { accountId, token } = await account();
    const wd = await workdir(
      `provider "iamsession" {}\nresource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  ${attr} = ${JSON.stringify(value)}\n}\n`,
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token },
    );
    const requestsBefore = apiRequests(server);
    for (const command of [["validate"], ["plan", "-input=false"]]) {
      const r = await tf(wd, cli, command);
      expect(r.code, r.stdout).toBe(1);
      // The CLI points at the attribute in the file, and the message gives the valid range.
      expect(r.stderr).toContain(`${attr} = ${JSON.stringify(value)}`);
      expect(r.stderr).toContain(`from ${def.min} to ${def.max}`);
      expect(r.stderr).toContain("NOT_SET");
    }
    expect(apiRequests(server)).toBe(requestsBefore);
  });

  it("an idle timeout longer than the maximum session time is a warning, not an error", async () => {
    const { accountId, token } = await account();
    const wd = await workdir(
      `provider "iamsession" {}\nresource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  session_expiration_in_seconds = "900"\n  session_invalidation_in_seconds = "1800"\n}\n`,
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token },
    );
    const r = await tfOk(wd, cli, ["plan", "-input=false"]);
    expect(r.stdout + r.stderr).toMatch(/Warning: Idle timeout longer than the maximum session time/);
    expect(r.stdout).toContain("1 to add");
  });

  it("with the API down: a diagnostic naming the endpoint, and the state is left as it was", async () => {
    const { accountId, token } = await account();
    const wd = await workdir(
      `provider "iamsession" {\n  max_retries = 1\n}\nresource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  max_sessions_per_identity = "4"\n}\n`,
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token },
    );
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    const stateBefore = readFileSync(join(wd.dir, "terraform.tfstate"), "utf8");
    writeFileSync(join(wd.dir, "main.tf"), readFileSync(join(wd.dir, "main.tf"), "utf8").replace('"4"', '"6"'));

    await server.stop();
    try {
      for (const command of [["plan", "-input=false"], ["apply", "-input=false", "-auto-approve"], ["apply", "-input=false", "-auto-approve", "-refresh=false"]]) {
        const r = await tf(wd, cli, command);
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`Cannot reach the iamsession API at ${server.url}`);
        expect(readFileSync(join(wd.dir, "terraform.tfstate"), "utf8")).toBe(stateBefore);
      }
    } finally {
      await server.restart();
    }
    // Back up: the change goes through, from the intact state.
    wd.env.IAMSESSION_ENDPOINT = server.url;
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    expect((await getSettings(server, accountId)).max_sessions_per_identity).toBe("6");
  });

  it("a wrong token gets a clear 401 diagnostic", async () => {
    const { accountId } = await account();
    const wd = await workdir(`provider "iamsession" {}\nresource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n}\n`, {
      IAMSESSION_ENDPOINT: server.url,
      IAMSESSION_TOKEN: "iams_not-a-real-key",
    });
    const r = await tf(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("The iamsession API rejected the token (401 Unauthorized)");
    expect(r.stderr).not.toContain("iams_not-a-real-key");
  });

  it("a change made after the plan is never overwritten: apply fails, names who changed it, and keeps it", async () => {
    const { accountId, token } = await account();
    const wd = await workdir(
      `provider "iamsession" {}\nresource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  session_invalidation_in_seconds = "900"\n}\n`,
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token },
    );
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    writeFileSync(join(wd.dir, "main.tf"), readFileSync(join(wd.dir, "main.tf"), "utf8").replace('"900"', '"1200"'));
    await tfOk(wd, cli, ["plan", "-input=false", "-out=change.tfplan"]);

    // Someone else changes the settings between plan and apply.
    const other = await createApiKey(server, accountId, "administrator", { name: "console-operator" });
    const current = await getSettings(server, accountId);
    expect((await putSettings(server, accountId, { session_invalidation_in_seconds: "3600" }, { token: other.key, ifMatch: current.entity_tag })).status).toBe(200);

    const r = await tf(wd, cli, ["apply", "-input=false", "change.tfplan"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`The settings of account ${accountId} were changed outside this run`);
    expect(r.stderr).toContain(other.id);
    expect(r.stderr).toContain("console-operator");
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("3600");
  });

  it.each([
    ["IAMSESSION_TOKEN", true],
    ["a sensitive variable in the provider block", false],
  ])("a token from %s never appears in state, output or logs (TF_LOG=trace)", async (how, fromEnv) => {
    const { accountId, token } = await account();
    const main =
      (fromEnv ? `provider "iamsession" {}\n` : `variable "token" {\n  type = string\n  sensitive = true\n}\nprovider "iamsession" {\n  token = var.token\n}\n`) +
      `resource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  max_sessions_per_identity = "3"\n}\n` +
      `data "iamsession_account_settings" "read" {\n  account_id = iamsession_account_settings.this.account_id\n}\n`;
    const secret = fromEnv ? { IAMSESSION_TOKEN: token } : { TF_VAR_token: token };
    const wd = await workdir(main, { IAMSESSION_ENDPOINT: server.url, TF_LOG: "trace", ...secret });
    // Terraform itself keeps input variables in saved plan files, so that path is checked without one.
    const commands = fromEnv
      ? [["plan", "-input=false", "-out=p.tfplan"], ["show", "-json", "p.tfplan"], ["apply", "-input=false", "p.tfplan"]]
      : [["plan", "-input=false"], ["apply", "-input=false", "-auto-approve"]];
    const outputs: string[] = [];
    for (const command of [...commands, ["show", "-json"], ["destroy", "-auto-approve", "-input=false"]]) {
      const r = await tfOk(wd, cli, command);
      outputs.push(r.stdout, r.stderr);
    }
    expect(outputs.join("\n"), how).toMatch(/ConfigureProvider/); // trace logs really were captured
    expect(outputs.join("\n"), how).toContain("iamsession API request"); // and the provider's own request log
    for (const text of outputs) expect(text).not.toContain(token);
    for (const file of ["terraform.tfstate", "terraform.tfstate.backup", "p.tfplan"]) {
      if (existsSync(join(wd.dir, file))) expect(readFileSync(join(wd.dir, file)).includes(token), file).toBe(false);
    }
    expect(server.stderr()).not.toContain(token);
  });
});
