// iamsession-drift end to end: the npm bin run as a pipeline would, over a plain HCL working directory and a
// synthesised CDKTF stack, with the real CLIs, the real provider and the real API.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiRequest,
  createAccount,
  createApiKey,
  createEnterprise,
  createEnterpriseKey,
  getEnterpriseSettings,
  getSettings,
  putEnterpriseSettings,
  putSettings,
  startApiServer,
  trustedProfilesPath,
  type ApiServer,
} from "../helpers/api-server.ts";
import { Duration, IamsessionProvider, LoginSessionPolicy } from "../../constructs/lib/index.js";
import { cliBinaries, makeWorkdir, REPO_ROOT, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { closedPort, runCommand, runDrift as drift, unique } from "../helpers/e2e.ts";
import { providerResourceTypes } from "../../drift/resource-types.ts";

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  /** An applied configuration managed by a CI key, and a second key a person uses behind Terraform's back. */
  async function applied() {
    const accountId = `acct-${unique()}`;
    await createAccount(server, { accountId });
    const ci = await createApiKey(server, accountId, "editor", { name: "terraform-ci" });
    const person = await createApiKey(server, accountId, "administrator", { name: "console-operator" });
    const wd = makeWorkdir(
      {
        "main.tf":
          `terraform {\n  required_providers {\n    iamsession = { source = "iamsession/iamsession" }\n  }\n}\n` +
          `provider "iamsession" {\n  max_retries = 1\n}\n` +
          `resource "iamsession_account_settings" "prod" {\n  account_id = "${accountId}"\n  session_invalidation_in_seconds = "900"\n  max_sessions_per_identity = "3"\n}\n`,
      },
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: ci.key },
    );
    await tfOk(wd, cli, ["init", "-input=false"]);
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    const change = async (values: Record<string, string>) => {
      const current = await getSettings(server, accountId);
      const res = await putSettings(server, accountId, values, { token: person.key, ifMatch: current.entity_tag });
      expect(res.status).toBe(200);
      return res.body.entity_tag;
    };
    return { accountId, wd, person, change };
  }

  it("no drift: exit 0", async () => {
    const { wd } = await applied();
    const r = await drift(cli, wd);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("No drift");
  });

  it("a limit loosened through the API by another key: exit 2 with attribute, values, who and when (text and JSON)", async () => {
    const { accountId, wd, person, change } = await applied();
    await change({ session_invalidation_in_seconds: "3600" });
    const history = (await getSettings(server, accountId, { includeHistory: true })).history!;
    const when = history.at(-1)!.changed_at;

    const text = await drift(cli, wd);
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain("iamsession_account_settings.prod.session_invalidation_in_seconds");
    expect(text.stdout).toContain('value in code:   "900"');
    expect(text.stdout).toContain('value on server: "3600"  (looser)');
    expect(text.stdout).toContain(`changed by:      ${person.id} (console-operator) of account ${accountId} at ${when}`);

    const json = await drift(cli, wd, ["--json"]);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ version: 1, drifted: true, fail_on: "any", checked: [{ address: "iamsession_account_settings.prod", type: "iamsession_account_settings" }] });
    expect(report.changes).toEqual([
      {
        address: "iamsession_account_settings.prod",
        resource_type: "iamsession_account_settings",
        owner: { kind: "account", id: accountId },
        change: "update",
        attribute: "session_invalidation_in_seconds",
        value_in_code: "900",
        last_applied: "900",
        value_on_server: "3600",
        managed_in_code: true,
        loosened: true,
        counts: true,
        changed_by: { key_id: person.id, key_name: "console-operator", account_id: accountId, enterprise_id: null, changed_at: when },
        changed_by_unknown: null,
      },
    ]);
  });

  it("a tightened limit does not fail with --fail-on loosened, but does by default", async () => {
    const { wd, change } = await applied();
    await change({ max_sessions_per_identity: "2" });
    const narrow = await drift(cli, wd, ["--fail-on", "loosened"]);
    expect(narrow.code, narrow.stderr).toBe(0);
    expect(narrow.stdout).toContain("max_sessions_per_identity  (not counted)");
    expect((await drift(cli, wd)).code).toBe(2);
  });

  it("a setting the code leaves to the server is reported but counts only with --fail-on all", async () => {
    const { wd, change } = await applied();
    await change({ session_expiration_in_seconds: "43200" });
    const r = await drift(cli, wd, ["--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).changes[0]).toMatchObject({ attribute: "session_expiration_in_seconds", managed_in_code: false, counts: false });
    expect((await drift(cli, wd, ["--fail-on", "all"])).code).toBe(2);
  });

  it("the API down: exit 1 with the CLI's own error", async () => {
    const { wd } = await applied();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const r = await drift(cli, wd, [], { IAMSESSION_ENDPOINT: down });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("plan -refresh-only failed");
    expect(r.stderr).toContain(`Cannot reach the iamsession API at ${down}`);
    expect(r.stderr).toContain("ECONNREFUSED");
  });

  it("the guide's generic shell step fails with the report exactly when a setting drifted", async () => {
    const guide = readFileSync(join(REPO_ROOT, "docs/guides/ci-drift-checks.md"), "utf8");
    const step = guide.split("## A generic shell step")[1]!.match(/```bash\n([\s\S]*?)```/)![1]!;
    const { wd, change } = await applied();
    // As in a pipeline: run from the project's checkout, pointed at the working directory.
    const report = join(REPO_ROOT, "drift-report.json");
    const runStep = () => runCommand("bash", ["-c", step], { cwd: REPO_ROOT, env: { ...wd.env, TF_DIR: wd.dir, TF_BINARY: cli.path } });
    try {
      expect((await runStep()).code).toBe(0);
      await change({ max_sessions_per_identity: "10" });
      const failed = await runStep();
      expect(failed.code).toBe(2);
      expect(failed.stdout).toContain("changed by:      ");
      expect(failed.stderr).toContain("changed outside Terraform");
      expect(JSON.parse(readFileSync(report, "utf8")).changes[0]).toMatchObject({ attribute: "max_sessions_per_identity", value_on_server: "10" });
    } finally {
      rmSync(report, { force: true });
    }
  });

  /**
   * Every resource type at once (applied with the platform administrator's key): account settings, enterprise
   * settings, two trusted profiles. Then an enterprise key loosens the enterprise's limit, an account key renames one
   * profile and lengthens its sessions, and deletes the other.
   */
  async function everyType() {
    const accountId = `acct-${unique()}`;
    const enterpriseId = `ent-${unique()}`;
    await createAccount(server, { accountId });
    await createEnterprise(server, { enterpriseId });
    const entKey = await createEnterpriseKey(server, enterpriseId, "administrator", { name: "enterprise-console" });
    const accountKey = await createApiKey(server, accountId, "administrator", { name: "console-operator" });
    const wd = makeWorkdir(
      {
        "main.tf":
          `terraform {\n  required_providers {\n    iamsession = { source = "iamsession/iamsession" }\n  }\n}\n` +
          `provider "iamsession" {\n  max_retries = 1\n}\n` +
          `resource "iamsession_account_settings" "prod" {\n  account_id = "${accountId}"\n  max_sessions_per_identity = "3"\n}\n` +
          `resource "iamsession_enterprise_settings" "corp" {\n  enterprise_id = "${enterpriseId}"\n  session_invalidation_in_seconds = "900"\n}\n` +
          `resource "iamsession_trusted_profile" "contractors" {\n  account_id = "${accountId}"\n  name = "contractors"\n  session_duration_in_seconds = "3600"\n}\n` +
          `resource "iamsession_trusted_profile" "auditors" {\n  account_id = "${accountId}"\n  name = "auditors"\n}\n`,
      },
      { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: server.adminToken },
    );
    await tfOk(wd, cli, ["init", "-input=false"]);
    await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
    const profiles = (await apiRequest(server, "GET", trustedProfilesPath(accountId), { token: server.adminToken })).body;
    const list: { profile_id: string; name: string; entity_tag: string }[] = profiles.trusted_profiles ?? profiles;
    const profile = (name: string) => list.find((p) => p.name === name)!;
    const changeOnServer = async () => {
      const ent = await getEnterpriseSettings(server, enterpriseId);
      expect((await putEnterpriseSettings(server, enterpriseId, { session_invalidation_in_seconds: "7200" }, { token: entKey.key, ifMatch: ent.entity_tag })).status).toBe(200);
      const c = profile("contractors");
      const put = await apiRequest(server, "PUT", trustedProfilesPath(accountId, c.profile_id), {
        token: accountKey.key,
        json: { name: "contractors-2", session_duration_in_seconds: "43200" },
        headers: { "if-match": c.entity_tag },
      });
      expect(put.status, put.text).toBe(200);
      const del = await apiRequest(server, "DELETE", trustedProfilesPath(accountId, profile("auditors").profile_id), { token: accountKey.key });
      expect(del.status, del.text).toBe(204);
      return (await getEnterpriseSettings(server, enterpriseId, { includeHistory: true })).history!.at(-1)!.changed_at;
    };
    return { accountId, enterpriseId, entKey, wd, changeOnServer };
  }

  it("every resource type: no drift says what it checked; enterprise settings and trusted profiles changed on the server: exit 2 in every format", async () => {
    const { accountId, enterpriseId, entKey, wd, changeOnServer } = await everyType();
    const clean = await drift(cli, wd, ["--format", "json"]);
    expect(clean.code, clean.stderr).toBe(0);
    const cleanReport = JSON.parse(clean.stdout);
    expect(cleanReport).toMatchObject({ version: 1, drifted: false, changes: [] });
    expect(Date.parse(cleanReport.generated_at)).toBeGreaterThan(Date.now() - 120_000);
    expect(cleanReport.summary).toEqual({ resources_checked: 4, resource_types: providerResourceTypes(), changes: 0, counted: 0 });
    expect(cleanReport.checked.map((r: { address: string }) => r.address)).toEqual([
      "iamsession_account_settings.prod",
      "iamsession_enterprise_settings.corp",
      "iamsession_trusted_profile.auditors",
      "iamsession_trusted_profile.contractors",
    ]);
    const cleanText = await drift(cli, wd);
    expect(cleanText.code).toBe(0);
    expect(cleanText.stdout).toContain("No drift: every checked iamsession resource on the server matches");
    expect(cleanText.stdout).toContain("Checked 4 resource(s) of the provider's 3 resource types (iamsession_account_settings ×1, iamsession_enterprise_settings ×1, iamsession_trusted_profile ×2).");

    const when = await changeOnServer();

    const json = await drift(cli, wd, ["--format", "json"]);
    expect(json.code, json.stderr).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.summary).toMatchObject({ resources_checked: 4, changes: 4, counted: 4 });
    const byKey = (address: string, attribute: string | null) =>
      report.changes.find((c: { address: string; attribute: string | null }) => c.address === address && c.attribute === attribute);
    expect(byKey("iamsession_enterprise_settings.corp", "session_invalidation_in_seconds")).toMatchObject({
      resource_type: "iamsession_enterprise_settings",
      owner: { kind: "enterprise", id: enterpriseId },
      value_in_code: "900",
      value_on_server: "7200",
      loosened: true,
      counts: true,
      changed_by: { key_id: entKey.id, key_name: "enterprise-console", account_id: null, enterprise_id: enterpriseId, changed_at: when },
    });
    expect(byKey("iamsession_trusted_profile.contractors", "name")).toMatchObject({
      owner: { kind: "account", id: accountId },
      value_in_code: "contractors",
      value_on_server: "contractors-2",
      changed_by: null,
      changed_by_unknown: "the API keeps no change history for trusted profiles",
    });
    expect(byKey("iamsession_trusted_profile.contractors", "session_duration_in_seconds")).toMatchObject({ value_in_code: "3600", value_on_server: "43200", loosened: true });
    expect(byKey("iamsession_trusted_profile.auditors", null)).toMatchObject({ change: "delete", value_on_server: null, counts: true });

    const text = await drift(cli, wd, ["--format", "text"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toContain("Drift: 4 change(s) made outside Terraform (counting: any).");
    expect(text.stdout).toContain("iamsession_enterprise_settings.corp.session_invalidation_in_seconds");
    expect(text.stdout).toContain(`changed by:      ${entKey.id} (enterprise-console) of enterprise ${enterpriseId} at ${when}`);
    expect(text.stdout).toContain("iamsession_trusted_profile.auditors  (deleted on the server)");

    const junit = await drift(cli, wd, ["--format", "junit"]);
    expect(junit.code).toBe(2);
    expect(junit.stdout).toMatch(/^<\?xml version="1.0"/);
    expect(junit.stdout).toContain('<testsuite name="iamsession-drift" tests="4" failures="3"');
    expect(junit.stdout.match(/<failure /g)).toHaveLength(4);
    expect(junit.stdout).toContain('<testcase classname="iamsession_account_settings" name="iamsession_account_settings.prod">\n    </testcase>');

    const github = await drift(cli, wd, ["--format", "github"]);
    expect(github.code).toBe(2);
    const annotations = github.stdout.trim().split("\n");
    expect(annotations.filter((l) => l.startsWith("::error title=iamsession drift%3A "))).toHaveLength(4);
    expect(annotations).toContainEqual(expect.stringMatching(/^::error title=iamsession drift%3A iamsession_trusted_profile\.auditors::iamsession_trusted_profile\.auditors was deleted on the server/));
    expect(annotations.at(-1)).toMatch(/^::notice title=iamsession drift::Drift: 4 change\(s\) that count/);

    // With the loosened filter, the rename and the deletion are reported but do not count; the looser limits do.
    const loosened = JSON.parse((await drift(cli, wd, ["--json", "--fail-on", "loosened"])).stdout);
    expect(loosened.summary).toMatchObject({ changes: 4, counted: 2 });
  });

  it("works on a synthesised CDKTF stack", async () => {
    const accountId = `cdktf-${unique()}`;
    await createAccount(server, { accountId });
    const ci = await createApiKey(server, accountId, "editor", { name: "terraform-ci" });
    const person = await createApiKey(server, accountId, "administrator", { name: "console-operator" });
    const wd = makeWorkdir({}, { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: ci.key, IAMSESSION_ACCOUNT_ID: accountId });
    // The single-account example's stack, synthesised with the construct library in this process (the example
    // itself runs outside the repository: test/e2e/cdk-examples-*.test.ts).
    const app = new App({ outdir: join(wd.dir, "cdktf.out") });
    const synthStack = new TerraformStack(app, "single-account");
    new LocalBackend(synthStack, { path: join(wd.dir, "terraform.single-account.tfstate") });
    new IamsessionProvider(synthStack, "iamsession");
    new LoginSessionPolicy(synthStack, "login-sessions", {
      accounts: accountId,
      maxIdle: Duration.minutes(30),
      maxLifetime: Duration.hours(12),
      maxSessionsPerIdentity: 3,
    });
    app.synth();
    const stack: Workdir = { ...wd, dir: join(wd.dir, "cdktf.out/stacks/single-account") };
    await tfOk(stack, cli, ["init", "-input=false"]);
    await tfOk(stack, cli, ["apply", "-input=false", "-auto-approve"]);
    expect((await drift(cli, stack)).code).toBe(0);

    const current = await getSettings(server, accountId);
    await putSettings(server, accountId, { session_invalidation_in_seconds: "7200" }, { token: person.key, ifMatch: current.entity_tag });
    const r = await drift(cli, stack, ["--json"]);
    expect(r.code, r.stderr).toBe(2);
    const [change] = JSON.parse(r.stdout).changes;
    expect(change).toMatchObject({
      attribute: "session_invalidation_in_seconds",
      value_in_code: "1800",
      value_on_server: "7200",
      changed_by: { key_id: person.id, key_name: "console-operator" },
    });
  });
});
