// A flaky network between the provider and the API (issue #12): the real CLIs run the real provider against the real
// API through a fault-injecting proxy that delays answers past the provider's timeout, drops them after the API
// committed, or answers 502 (after the API committed, or without forwarding at all). Whatever happens: no false
// error, no orphan trusted profile, no duplicate, and the state matches the server. When the provider cannot know
// whether a change was applied, it says so (MAY), and never that nothing was written.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, createAccount, createApiKey, getSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { REQUIRED_PROVIDERS, unique } from "../helpers/e2e.ts";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy.ts";
import { cliBinaries, makeWorkdir, stateResources, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";

// A short timeout, so that a "delay" fault (4 s) outlasts it.
const PROVIDER_BLOCK = `${REQUIRED_PROVIDERS}provider "iamsession" {\n  timeout_seconds = 2\n  max_retries = 3\n}\n`;

const settingsBlock = (accountId: string, expiration: string) => `
resource "iamsession_account_settings" "this" {
  account_id                    = "${accountId}"
  session_expiration_in_seconds = "${expiration}"
}
`;
const profileBlock = (accountId: string, name: string) => `
resource "iamsession_trusted_profile" "this" {
  account_id = "${accountId}"
  name       = "${name}"
}
`;

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startApiServer();
    proxy = await startFaultProxy(server.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.dispose();
  });

  async function setup(main: (accountId: string) => string) {
    const accountId = `flaky-${unique()}`;
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "administrator");
    const wd = makeWorkdir({ "main.tf": PROVIDER_BLOCK + main(accountId) }, { IAMSESSION_ENDPOINT: proxy.url, IAMSESSION_TOKEN: key.key });
    await tfOk(wd, cli, ["init", "-input=false"]);
    return { wd, accountId };
  }
  const write = (wd: Workdir, main: string) => writeFileSync(join(wd.dir, "main.tf"), PROVIDER_BLOCK + main);
  const apply = (wd: Workdir) => tf(wd, cli, ["apply", "-input=false", "-auto-approve"]);
  async function expectApplied(wd: Workdir) {
    const r = await apply(wd);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(proxy.pending(), "every injected fault was hit").toBe(0);
    const plan = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
  }
  const profiles = async (accountId: string) =>
    (await apiRequest(server, "GET", `/v1/accounts/${accountId}/trusted_profiles`, { token: server.adminToken })).body
      .trusted_profiles as { profile_id: string; name: string; entity_tag: string }[];

  it("a created profile whose answer is lost, then answered 502, then answered too late: one profile, in state", async () => {
    const { wd, accountId } = await setup((id) => profileBlock(id, "ci"));
    proxy.inject({ kind: "drop_after_commit", method: "POST", path: /trusted_profiles$/ });
    proxy.inject({ kind: "error_after_commit", method: "POST", path: /trusted_profiles$/ });
    proxy.inject({ kind: "delay", delayMs: 4000, method: "POST", path: /trusted_profiles$/ });
    await expectApplied(wd);
    // Four POSTs reached the API, one profile exists (no orphan, no duplicate), and it is the one in state.
    expect(proxy.log.filter((r) => r.method === "POST" && r.upstreamStatus === 201)).toHaveLength(4);
    const onServer = await profiles(accountId);
    expect(onServer).toHaveLength(1);
    const state = (await stateResources(wd, cli))["iamsession_trusted_profile.this"]!;
    expect(state).toMatchObject({ profile_id: onServer[0]!.profile_id, entity_tag: onServer[0]!.entity_tag, name: "ci" });
  });

  it("a profile change and its destroy whose answers are lost: both succeed, the state matches the server", async () => {
    const { wd, accountId } = await setup((id) => profileBlock(id, "ci"));
    await expectApplied(wd);
    write(wd, profileBlock(accountId, "ci-renamed"));
    proxy.inject({ kind: "drop_after_commit", method: "PUT", path: /trusted_profiles\// });
    await expectApplied(wd);
    const [renamed] = await profiles(accountId);
    expect(renamed).toMatchObject({ name: "ci-renamed" });
    expect((await stateResources(wd, cli))["iamsession_trusted_profile.this"]).toMatchObject({ entity_tag: renamed!.entity_tag });

    proxy.inject({ kind: "error_after_commit", method: "DELETE", path: /trusted_profiles\// });
    const destroy = await tf(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
    expect(destroy.code, destroy.stdout + destroy.stderr).toBe(0);
    expect(await profiles(accountId)).toEqual([]);
    expect(await stateResources(wd, cli)).toEqual({});
  });

  it("settings whose PUT answer is lost, answered 502 or answered too late: applied once each, no false error", async () => {
    const { wd, accountId } = await setup((id) => settingsBlock(id, "3600"));
    for (const [kind, value] of [["drop_after_commit", "3600"], ["error_after_commit", "7200"], ["delay", "10800"]] as const) {
      if (value !== "3600") write(wd, settingsBlock(accountId, value));
      proxy.inject({ kind, delayMs: 4000, method: "PUT", path: /settings\/identity$/ });
      await expectApplied(wd);
      const s = await getSettings(server, accountId, { includeHistory: true });
      expect(s.session_expiration_in_seconds, kind).toBe(value);
      expect((await stateResources(wd, cli))["iamsession_account_settings.this"]).toMatchObject({ entity_tag: s.entity_tag });
    }
    // Three changes, three history entries: nothing was written twice.
    const history = (await getSettings(server, accountId, { includeHistory: true })).history!;
    expect(history.map((h) => h.new.session_expiration_in_seconds)).toEqual(["3600", "7200", "10800"]);
  });

  it("a PUT that never reached the API (502 from the network): the error says the change MAY have been applied, never that nothing was", async () => {
    const { wd, accountId } = await setup((id) => settingsBlock(id, "3600"));
    const before = await getSettings(server, accountId);
    proxy.inject({ kind: "error_before", method: "PUT", path: /settings\/identity$/ });
    const r = await apply(wd);
    expect(r.code).toBe(1);
    const out = (r.stdout + r.stderr).replace(/\s+/g, " ");
    expect(out).toContain("the change MAY have been applied");
    expect(out).toContain("plan");
    expect(out).not.toMatch(/nothing was (written|changed)/i);
    expect(await getSettings(server, accountId)).toEqual(before);
    // The next run finds the settings as they are and applies the change.
    await expectApplied(wd);
    expect((await getSettings(server, accountId)).session_expiration_in_seconds).toBe("3600");
  });
});
