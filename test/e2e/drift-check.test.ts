// iamsession-drift end to end: the npm bin run as a pipeline would, over a plain HCL working directory and a
// synthesised CDKTF stack, with the real CLIs, the real provider and the real API.
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Duration, IamsessionProvider, LoginSessionPolicy } from "../../constructs/lib/index.js";
import { createAccount, createApiKey, getSettings, putSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, REPO_ROOT, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { closedPort, unique } from "../helpers/e2e.ts";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string[], wd: Workdir, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, command, { cwd: wd.dir, env: { ...wd.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const drift = (cli: Cli, wd: Workdir, args: string[] = [], env: NodeJS.ProcessEnv = {}) =>
  run([join(REPO_ROOT, "bin/iamsession-drift.mjs"), "--cli", cli.path, ...args, wd.dir], wd, env);

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
    expect(report).toMatchObject({ drifted: true, fail_on: "any" });
    expect(report.changes).toEqual([
      {
        address: "iamsession_account_settings.prod",
        account_id: accountId,
        attribute: "session_invalidation_in_seconds",
        value_in_code: "900",
        last_applied: "900",
        value_on_server: "3600",
        managed_in_code: true,
        loosened: true,
        counts: true,
        changed_by: { iam_id: person.id, key_name: "console-operator", account_id: accountId, enterprise_id: null, changed_at: when },
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
    const runStep = () =>
      new Promise<Run>((resolve, reject) => {
        const child = spawn("bash", ["-c", step], { cwd: REPO_ROOT, env: { ...wd.env, TF_DIR: wd.dir, TF_BINARY: cli.path }, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      });
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
      changed_by: { iam_id: person.id, key_name: "console-operator" },
    });
  });
});
