// The construct library from Python, as a Python CDKTF user runs it: jsii-pacmak's package installed with pip into
// the CDKTF venv (scripts/python-venv.sh), cdktf-examples/python/main.py synthesised by Python, then init, plan,
// apply and a second, empty plan with each Terraform CLI; the values read back through the API. The guard's
// failure is a Python synthesis error naming the violation.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  apiRequest,
  createAccount,
  createEnterprise,
  getEnterpriseSettings,
  getSettings,
  startApiServer,
  trustedProfilesPath,
  type ApiServer,
} from "../helpers/api-server.ts";
import { unique } from "../helpers/e2e.ts";
import { REPO_ROOT, cliBinaries, makeWorkdir, tf, tfOk } from "../helpers/tf.ts";

let python: string;
let libDir: string;

function pythonSynth(dir: string, env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [join(dir, "main.py")], { cwd: dir, env: { ...env, PYTHONPATH: libDir }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

beforeAll(() => {
  const venv = execFileSync("bash", [join(REPO_ROOT, "scripts", "python-venv.sh")], { encoding: "utf8" }).trim();
  python = join(venv, "bin", "python");
  // The package as pip installs it from jsii-pacmak's source (built by the global setup), into its own directory.
  libDir = mkdtempSync(join(inject("tfTempRoot"), "..", "pylib-"));
  execFileSync(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "--no-build-isolation", "--target", libDir, join(REPO_ROOT, "constructs", "dist", "python")], { stdio: ["ignore", "ignore", "inherit"] });
}, 300_000);

describe.each(cliBinaries())("Python stack with $name", (cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("synthesises with LoginSessionPolicy, a preset and the guard, then plans and applies", async () => {
    const lead = await createAccount(server, { accountId: `py-lead-${unique()}` });
    const fleet = await createAccount(server, { accountId: `py-fleet-${unique()}` });
    const enterprise = await createEnterprise(server, { enterpriseId: `py-ent-${unique()}` });
    const wd = makeWorkdir({}, { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: server.adminToken });
    cpSync(join(REPO_ROOT, "cdktf-examples", "python"), wd.dir, { recursive: true });
    const synth = await pythonSynth(wd.dir, {
      ...wd.env,
      IAMSESSION_ACCOUNT_IDS: `${lead.account_id},${fleet.account_id}`,
      IAMSESSION_ENTERPRISE_ID: enterprise.enterprise_id,
    });
    expect(synth.code, synth.output).toBe(0);
    const stack = { ...wd, dir: join(wd.dir, "cdktf.out", "stacks", "python") };

    await tfOk(stack, cli, ["init", "-input=false"]);
    const plan = await tfOk(stack, cli, ["plan", "-input=false", "-detailed-exitcode"], { okCodes: [2] });
    expect(plan.stdout).toContain("Plan: 4 to add, 0 to change, 0 to destroy");
    await tfOk(stack, cli, ["apply", "-input=false", "-auto-approve"]);
    const again = await tf(stack, cli, ["plan", "-input=false", "-detailed-exitcode"]);
    expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);

    // The financial preset, the lead account overriding its sessions; the enterprise as written.
    expect(await getSettings(server, lead.account_id)).toMatchObject({
      session_invalidation_in_seconds: "900",
      session_expiration_in_seconds: "3600",
      max_sessions_per_identity: "1",
      max_sessions_exceeded_action: "DENY_NEW",
    });
    expect(await getSettings(server, fleet.account_id)).toMatchObject({
      session_invalidation_in_seconds: "900",
      session_expiration_in_seconds: "3600",
      max_sessions_per_identity: "2",
    });
    expect(await getEnterpriseSettings(server, enterprise.enterprise_id)).toMatchObject({ session_invalidation_in_seconds: "900" });
    const profiles = await apiRequest(server, "GET", trustedProfilesPath(lead.account_id), { token: server.adminToken });
    expect(JSON.stringify(profiles.body)).toMatch(/"name":"auditors".*"session_duration_in_seconds":"NOT_SET"|"session_duration_in_seconds":"NOT_SET".*"name":"auditors"/);
  }, 300_000);
});

describe("Python stack under the guard", () => {
  it("fails synthesis naming the trusted profile that grants longer sessions than the guard allows", async () => {
    const wd = makeWorkdir({});
    cpSync(join(REPO_ROOT, "cdktf-examples", "python"), wd.dir, { recursive: true });
    const synth = await pythonSynth(wd.dir, { ...wd.env, IAMSESSION_LOOSEN: "1", IAMSESSION_ACCOUNT_IDS: "py-a" });
    expect(synth.code).not.toBe(0);
    expect(synth.output).toContain(
      `[python/auditors] session_duration_in_seconds = "43200" (12 hours) exceeds maxTrustedProfileSessionDuration (1 hour (3600 s))`,
    );
  }, 120_000);
});
