// Every CDKTF example, as a user runs it: synthesise with `tsx main.ts`, then the real CLI runs init, plan and
// apply against a real API process; the settings are read back through the API and a second plan is empty. The
// guarded example must fail synthesis with every violation listed.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyPresets } from "../../cdktf-examples/lib/index.ts";
import { NOT_SET } from "../../schemas/settings.ts";
import {
  createAccount,
  createApiKey,
  getSettings,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";
import { cliBinaries, makeWorkdir, REPO_ROOT, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";
import { unique } from "../helpers/e2e.ts";

const TSX_CLI = join(REPO_ROOT, "node_modules/tsx/dist/cli.mjs");

interface SynthResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npx tsx main.ts` in the workdir (so cdktf.out/ and the local state land there), as the example READMEs say. */
function synthExample(example: string, wd: Workdir, env: NodeJS.ProcessEnv): Promise<SynthResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, join(REPO_ROOT, "cdktf-examples", example, "main.ts")], {
      cwd: wd.dir,
      env: { ...wd.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function synthOk(example: string, wd: Workdir, env: NodeJS.ProcessEnv): Promise<Workdir> {
  const result = await synthExample(example, wd, env);
  if (result.code !== 0) throw new Error(`synth of ${example} exited ${result.code}\n${result.stderr}${result.stdout}`);
  const stackDir = join(wd.dir, "cdktf.out", "stacks", example);
  expect(existsSync(join(stackDir, "cdk.tf.json"))).toBe(true);
  // The CLI runs in the synthesised stack's directory, as `terraform -chdir=cdktf.out/stacks/NAME` would.
  return { ...wd, dir: stackDir };
}

/** init, plan, apply, then a second plan that must find nothing to do. */
async function initPlanApply(stack: Workdir, cli: Cli, env: NodeJS.ProcessEnv): Promise<void> {
  await tfOk(stack, cli, ["init", "-input=false"], { env });
  const plan = await tfOk(stack, cli, ["plan", "-input=false", "-detailed-exitcode"], { env, okCodes: [2] });
  expect(plan.stdout).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
  await tfOk(stack, cli, ["apply", "-input=false", "-auto-approve"], { env });
  const again = await tf(stack, cli, ["plan", "-input=false", "-detailed-exitcode"], { env });
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
}

describe.each(cliBinaries())("$name", (cli) => {
  let server: ApiServer;
  beforeAll(async () => {
    server = await startApiServer();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("single-account: synth, init, plan, apply with an account key; then destroy resets to NOT_SET", async () => {
    const account = await createAccount(server, { accountId: `acme-${unique()}` });
    const key = await createApiKey(server, account.account_id, "administrator");
    const env = { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: key.key };
    const stack = await synthOk("single-account", makeWorkdir({}), { IAMSESSION_ACCOUNT_ID: account.account_id });
    // Endpoint and token come from the environment, never from the synthesised configuration.
    expect(readFileSync(join(stack.dir, "cdk.tf.json"), "utf8")).not.toContain(key.key);

    await initPlanApply(stack, cli, env);
    expect(await getSettings(server, account.account_id)).toMatchObject({
      session_invalidation_in_seconds: "1800",
      session_expiration_in_seconds: "43200",
      max_sessions_per_identity: "3",
    });

    await tfOk(stack, cli, ["destroy", "-input=false", "-auto-approve"], { env });
    expect(await getSettings(server, account.account_id)).toMatchObject({
      session_invalidation_in_seconds: NOT_SET,
      session_expiration_in_seconds: NOT_SET,
      max_sessions_per_identity: NOT_SET,
    });
  });

  it("many-accounts: the financial preset on every listed account, guard passing", async () => {
    const accounts = await Promise.all([1, 2, 3].map((i) => createAccount(server, { accountId: `fin-${i}-${unique()}` })));
    const ids = accounts.map((a) => a.account_id);
    // One token for the whole fleet: the platform administrator's.
    const env = { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: server.adminToken };
    const stack = await synthOk("many-accounts", makeWorkdir({}), { IAMSESSION_ACCOUNT_IDS: ids.join(",") });

    await initPlanApply(stack, cli, env);
    const { financial } = PolicyPresets;
    for (const id of ids) {
      expect(await getSettings(server, id)).toMatchObject({
        session_invalidation_in_seconds: String(financial.maxIdle.toSeconds()),
        session_expiration_in_seconds: String(financial.maxLifetime.toSeconds()),
        max_sessions_per_identity: String(financial.maxSessionsPerIdentity),
      });
    }
  });
});

describe("guarded", () => {
  it("fails synthesis listing every violation, and writes no stack for the CLI", async () => {
    const wd = makeWorkdir({});
    const result = await synthExample("guarded", wd, {
      IAMSESSION_SANDBOX_ACCOUNT_IDS: "sbx-a,sbx-b",
      IAMSESSION_LEGACY_ACCOUNT_ID: "old-tools",
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("["));
    expect(lines).toEqual([
      ...["sbx-a", "sbx-b"].flatMap((id) => [
        `[guarded/sandboxes/${id}] session_invalidation_in_seconds = "7200" (2 hours) exceeds maxIdle (30 minutes (1800 s))`,
        `[guarded/sandboxes/${id}] max_sessions_per_identity = "NOT_SET" (service default: unlimited) allows unlimited sessions, which forbidUnlimitedSessions forbids`,
      ]),
      `[guarded/legacy] session_invalidation_in_seconds = "NOT_SET" (service default: 2 hours (7200 s)) exceeds maxIdle (30 minutes (1800 s))`,
    ]);
    expect(existsSync(join(wd.dir, "cdktf.out", "stacks", "guarded", "cdk.tf.json"))).toBe(false);
  });
});
