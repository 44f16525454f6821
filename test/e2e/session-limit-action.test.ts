// max_sessions_exceeded_action end to end, with both CLIs: set through iamsession_account_settings by the real
// provider process, enforced by the next login against the real API; read back by the effective-settings data
// source; rejected at validate before any API call when misspelt; and state written before the attribute existed
// (schema version 0) is upgraded and refreshed without a diff.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, apiRequest, createAccount, createApiKey, createIdentity, getSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { apiRequests, PROVIDER, unique } from "../helpers/e2e.ts";
import { cliLogin, createIdentityKey } from "../helpers/session-server.ts";
import { cliBinaries, makeWorkdir, stateResources, tf, tfOk, type Cli } from "../helpers/tf.ts";

function config(accountId: string, action: string) {
  return `${PROVIDER}
resource "iamsession_account_settings" "this" {
  account_id                   = ${JSON.stringify(accountId)}
  max_sessions_per_identity    = "1"
  max_sessions_exceeded_action = ${JSON.stringify(action)}
}

data "iamsession_effective_settings" "this" {
  account_id = iamsession_account_settings.this.account_id
}

output "action" {
  value = data.iamsession_effective_settings.this.max_sessions_exceeded_action
}
`;
}

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function setup(action: string) {
    const accountId = `acct-${unique()}`;
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "administrator");
    const { iam_id } = await createIdentity(server);
    await addMember(server, accountId, iam_id);
    const identityKey = (await createIdentityKey(server, iam_id)).key;
    const wd = makeWorkdir({ "main.tf": config(accountId, action) }, { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: key.key });
    await tfOk(wd, cli, ["init", "-input=false"]);
    return { wd, accountId, identityKey };
  }

  it("DENY_NEW set by the provider refuses the second login; END_OLDEST then evicts the first session", async () => {
    const { wd, accountId, identityKey } = await setup("DENY_NEW");
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    expect((await getSettings(server, accountId)).max_sessions_exceeded_action).toBe("DENY_NEW");
    const empty = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(empty.code, empty.stdout + empty.stderr).toBe(0);
    const output = JSON.parse((await tfOk(wd, cli, ["output", "-json", "action"])).stdout);
    expect(output).toEqual({ value: "DENY_NEW", source: "account", source_id: accountId, account_id: accountId });

    const first = await cliLogin(server, accountId, identityKey);
    expect(first.status).toBe(201);
    const refused = await cliLogin(server, accountId, identityKey);
    expect(refused.status).toBe(409);
    expect(refused.body.errors[0].code).toBe("session_limit_reached");

    writeFileSync(join(wd.dir, "main.tf"), config(accountId, "END_OLDEST"));
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    const second = await cliLogin(server, accountId, identityKey);
    expect(second.status).toBe(201);
    const old = await apiRequest(server, "GET", "/v1/session", { token: first.body.token });
    expect(old.status).toBe(401);
    expect(old.body.errors[0].code).toBe("evicted_by_limit");
  });

  it("a misspelt action fails validate with its attribute path, before any API call", async () => {
    const { wd } = await setup("deny_new");
    const before = apiRequests(server);
    const res = await tf(wd, cli, ["validate"]);
    expect(res.code).toBe(1);
    expect(res.stderr + res.stdout).toContain('must be written exactly "DENY_NEW"');
    expect(res.stderr + res.stdout).toMatch(/max_sessions_exceeded_action/);
    expect(apiRequests(server)).toBe(before);
  });

  it("state from before the attribute existed (schema version 0) is upgraded and plans no change", async () => {
    const { wd } = await setup("END_NEXT_EXPIRING");
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    const path = join(wd.dir, "terraform.tfstate");
    const state = JSON.parse(readFileSync(path, "utf8"));
    const resource = state.resources.find((r: any) => r.type === "iamsession_account_settings");
    expect(resource.instances[0].schema_version).toBe(1);
    resource.instances[0].schema_version = 0;
    delete resource.instances[0].attributes.max_sessions_exceeded_action;
    state.serial += 1;
    writeFileSync(path, JSON.stringify(state));
    const plan = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve", "-refresh-only"]);
    expect((await stateResources(wd, cli))["iamsession_account_settings.this"]!.max_sessions_exceeded_action).toBe("END_NEXT_EXPIRING");
  });
});
