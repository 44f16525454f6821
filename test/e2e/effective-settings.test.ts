// iamsession_effective_settings end to end (issue #6), and the guide that manages an enterprise and its accounts
// together: the real CLIs (Terraform and OpenTofu), the real provider from the filesystem mirror, the real API on a
// real SQLite file. Enterprises, links, identities and memberships are set up through the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createAccount,
  createApiKey,
  createEnterprise,
  createEnterpriseKey,
  createIdentity,
  getEnterpriseSettings,
  getSettings,
  linkAccount,
  putEnterpriseSettings,
  putSettings,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, tf, tfJson, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { PROVIDER, apiRequests, example, unique } from "../helpers/e2e.ts";

const provenance = (value: string, source: string, source_id: string | null, account_id: string | null) => ({ value, source, source_id, account_id });

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  async function workdir(files: Record<string, string>, token: string): Promise<Workdir> {
    const wd = makeWorkdir(files, { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: token });
    await tfOk(wd, cli, ["init", "-input=false"]);
    return wd;
  }
  const apply = (wd: Workdir) => tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
  const outputs = async (wd: Workdir) =>
    Object.fromEntries(Object.entries(await tfJson<Record<string, { value: unknown }>>(wd, cli, ["output", "-json"])).map(([k, v]) => [k, v.value]));
  const put = async (accountId: string, values: Record<string, string>) => expect((await putSettings(server, accountId, values)).status).toBe(200);
  const putEnterprise = async (id: string, values: Record<string, string>) => expect((await putEnterpriseSettings(server, id, values)).status).toBe(200);

  it("the docs' example: an account in an enterprise and an identity in several accounts, with provenance", async () => {
    // Enterprise E caps the session time; account A (in E) sets its own idle time; account B (in no enterprise) is
    // stricter on idle time and concurrent sessions. The identity belongs to both.
    const suffix = unique();
    const { enterprise_id: e } = await createEnterprise(server, { enterpriseId: `ent-${suffix}` });
    const a = (await createAccount(server, { accountId: `acme-production-${suffix}` })).account_id;
    const b = (await createAccount(server, { accountId: `acme-research-${suffix}` })).account_id;
    await linkAccount(server, a, e);
    const iam = (await createIdentity(server, { iamId: `IBMid-alice-${suffix}` })).iam_id;
    await addMember(server, a, iam);
    await addMember(server, b, iam);
    await putEnterprise(e, { session_expiration_in_seconds: "3600" });
    await put(a, { session_expiration_in_seconds: "7200", session_invalidation_in_seconds: "1800" });
    await put(b, { session_invalidation_in_seconds: "900", max_sessions_per_identity: "5" });

    // A viewer of account A may read both the account and the identity (a member of A).
    const viewer = await createApiKey(server, a, "viewer");
    const data = example("data-sources/iamsession_effective_settings/data-source.tf")
      .replace('"acme-production"', JSON.stringify(a))
      .replace('"IBMid-alice"', JSON.stringify(iam));
    const wd = await workdir({ "provider.tf": example("provider/provider.tf"), "data.tf": data }, viewer.key);
    await apply(wd);

    // Account B is not the viewer's to see: its value applies to alice, but not its id (issue #11).
    expect(await outputs(wd)).toEqual({
      production_idle_timeout: provenance("1800", "account", a, a),
      alice_idle_timeout_from: "900 s, set by the another_account of account (another account)",
    });
    const show = await tfJson(wd, cli, ["show", "-json"]);
    const byAddress = Object.fromEntries(show.values.root_module.resources.map((r: any) => [r.address, r.values]));
    expect(byAddress["data.iamsession_effective_settings.production"]).toEqual({
      account_id: a,
      iam_id: null,
      enterprise_id: e,
      accounts: [a],
      session_expiration_in_seconds: provenance("3600", "enterprise", e, a),
      session_invalidation_in_seconds: provenance("1800", "account", a, a),
      max_sessions_per_identity: provenance("unlimited", "default", null, a),
      max_sessions_exceeded_action: provenance("END_OLDEST", "default", null, a),
    });
    const alice = byAddress["data.iamsession_effective_settings.alice"];
    const hidden = "(another account)";
    expect(alice.accounts).toEqual([a, hidden]);
    expect(JSON.stringify(alice)).not.toContain(b);
    expect(alice).toMatchObject({
      account_id: null,
      iam_id: iam,
      enterprise_id: null,
      session_expiration_in_seconds: provenance("3600", "enterprise", e, a),
      session_invalidation_in_seconds: provenance("900", "another_account", hidden, hidden),
      max_sessions_per_identity: provenance("5", "another_account", hidden, hidden),
      // The action comes from the level whose limit applies (the hidden account): whether that account set it or
      // left it to the service default is its own value, so it is redacted with the limit.
      max_sessions_exceeded_action: provenance("END_OLDEST", "another_account", hidden, hidden),
    });
    // The platform administrator sees every account.
    const adminWd = await workdir({ "provider.tf": example("provider/provider.tf"), "data.tf": data }, server.adminToken);
    await apply(adminWd);
    expect((await outputs(adminWd)).alice_idle_timeout_from).toBe(`900 s, set by the account of account ${b}`);

    // Nothing is cached: a stricter enterprise idle time shows at the next read, for the account and the identity.
    await putEnterprise(e, { session_invalidation_in_seconds: "900" });
    await apply(wd);
    expect((await outputs(wd)).production_idle_timeout).toEqual(provenance("900", "enterprise", e, a));
    // A tie with an account the token sees is credited to that account.
    expect((await outputs(wd)).alice_idle_timeout_from).toBe(`900 s, set by the enterprise of account ${a}`);
  });

  it("an identity in no account gets the service defaults, with no account", async () => {
    const iam = (await createIdentity(server)).iam_id;
    const wd = await workdir(
      { "main.tf": PROVIDER + `data "iamsession_effective_settings" "x" {\n  iam_id = ${JSON.stringify(iam)}\n}\noutput "x" {\n  value = data.iamsession_effective_settings.x\n}\n` },
      server.adminToken,
    );
    await apply(wd);
    expect((await outputs(wd)).x).toEqual({
      account_id: null,
      iam_id: iam,
      enterprise_id: null,
      accounts: [],
      session_expiration_in_seconds: provenance("86400", "default", null, null),
      session_invalidation_in_seconds: provenance("7200", "default", null, null),
      max_sessions_per_identity: provenance("unlimited", "default", null, null),
      max_sessions_exceeded_action: provenance("END_OLDEST", "default", null, null),
    });
  });

  it.each([
    ["neither account_id nor iam_id", "", "Missing account_id or iam_id", 'data "iamsession_effective_settings" "x"'],
    ["both account_id and iam_id", `  account_id = "a1"\n  iam_id = "IBMid-1"\n`, "Conflicting account_id and iam_id", 'iam_id = "IBMid-1"'],
    ["a malformed iam_id", `  iam_id = "-bad id"\n`, "iam_id must be", 'iam_id = "-bad id"'],
    ["a malformed account_id", `  account_id = "Not An Id"\n`, "account_id must be", 'account_id = "Not An Id"'],
  ])("%s fails validate and plan, naming the attribute, before any API call", async (_label, body, message, pointsAt) => {
    const accountId = `acct-${unique()}`;
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "viewer");
    const wd = await workdir({ "main.tf": PROVIDER + `data "iamsession_effective_settings" "x" {\n${body}}\n` }, key.key);
    const before = apiRequests(server);
    for (const command of [["validate"], ["plan", "-input=false"]]) {
      const r = await tf(wd, cli, command);
      expect(r.code, r.stdout).toBe(1);
      expect(r.stderr).toContain(message);
      // The CLI shows the offending attribute's line (the block, when the attribute is missing).
      expect(r.stderr).toContain(pointsAt);
    }
    expect(apiRequests(server)).toBe(before);
  });

  it("the guide: one enterprise key manages the enterprise and two of its accounts; outputs show which level wins", async () => {
    const suffix = unique();
    const { enterprise_id: e } = await createEnterprise(server, { enterpriseId: `acme-enterprise-${suffix}` });
    const production = (await createAccount(server, { accountId: `acme-production-${suffix}` })).account_id;
    const staging = (await createAccount(server, { accountId: `acme-staging-${suffix}` })).account_id;
    await linkAccount(server, production, e);
    await linkAccount(server, staging, e);
    const key = await createEnterpriseKey(server, e, "administrator");

    const wd = await workdir(
      {
        "provider.tf": example("provider/provider.tf"),
        "main.tf": example("guides/enterprise-and-accounts.tf"),
        "terraform.tfvars": `enterprise_id = ${JSON.stringify(e)}\naccounts = ${JSON.stringify([production, staging])}\n`,
      },
      key.key,
    );
    await apply(wd);
    expect(await getEnterpriseSettings(server, e)).toMatchObject({ session_expiration_in_seconds: "28800", session_invalidation_in_seconds: "3600" });
    expect(await getSettings(server, production)).toMatchObject({ session_invalidation_in_seconds: "1800", max_sessions_per_identity: "2" });
    expect(await getSettings(server, staging)).toMatchObject({ session_expiration_in_seconds: "43200" });

    expect(await outputs(wd)).toEqual({
      effective_idle_timeout: {
        [production]: `1800 s from the account ${production}`,
        [staging]: `3600 s from the enterprise ${e}`,
      },
      effective_max_session_time: {
        [production]: provenance("28800", "enterprise", e, production),
        [staging]: provenance("28800", "enterprise", e, staging),
      },
      effective_max_sessions: { [production]: "2", [staging]: "unlimited" },
    });
    const again = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });
});
