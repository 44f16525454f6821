// What the provider adds to a `plan`: plan of N iamsession_account_settings (already applied, so every plan reads
// each one from the API) minus plan of N built-in terraform_data resources (the CLI with no provider at all), for
// N = 1, 10, 100, against the real API on a real SQLite file, with the shipped single executable installed from a
// filesystem mirror. Per plan the CLI starts the provider 3 times (exec → handshake, Shutdown → exit each time).
//   npx tsx bench/plan-overhead.ts [--runs 3] [--sizes 1,10,100] [--binary PATH] [--baseline OLD ...]
//   (TF_BINARY picks the CLI; each --baseline executable is planned in turn with the first, plan by plan)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createAccount, startApiServer } from "../test/helpers/api-server.ts";
import { buildExecutable } from "./provider-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface PlanOverheadRow {
  n: number;
  /** The executable measured (with --baseline, each executable gets its own row per size). */
  binary: string;
  providerPlanS: number;
  terraformDataPlanS: number;
  overheadS: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function cli(bin: string, dir: string, env: NodeJS.ProcessEnv, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(bin, [...args, "-no-color", "-input=false"], { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

export async function runPlanOverheadBench(
  opts: {
    runs?: number;
    sizes?: number[];
    binary?: string;
    /** Other executables planned in turn with `binary`, plan by plan (old against new under the same load). */
    baselines?: string[];
    onRow?: (row: PlanOverheadRow) => void;
  } = {},
): Promise<PlanOverheadRow[]> {
  const runs = opts.runs ?? 3;
  const sizes = opts.sizes ?? [1, 10, 100];
  const tfBin = process.env.TF_BINARY || "terraform";
  const binaries = [opts.binary ?? buildExecutable(), ...(opts.baselines ?? [])];
  const tmp = mkdtempSync(join(tmpdir(), "bench-plan-"));
  const server = await startApiServer();
  try {
    // One filesystem mirror and CLI configuration per executable.
    const envs = binaries.map((binary, i) => {
      const mirror = join(tmp, `mirror-${i}`);
      execFileSync(process.execPath, [join(ROOT, "scripts/provider-mirror.mjs"), mirror, "--binary", binary], { stdio: "ignore" });
      const rc = join(tmp, `cli-${i}.tfrc`);
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TF_CLI_CONFIG_FILE: rc,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        IAMSESSION_ENDPOINT: server.url,
        IAMSESSION_TOKEN: server.adminToken,
      };
      for (const k of Object.keys(env)) if (/^TF_(LOG|VAR_|CLI_ARGS)/.test(k)) delete env[k];
      return env;
    });
    const env = envs[0]!;
    const accounts: string[] = [];
    for (let i = 0; i < Math.max(...sizes); i++) accounts.push((await createAccount(server, { accountId: `bench-${i}` })).account_id);

    const rows: PlanOverheadRow[] = [];
    for (const n of sizes) {
      const providers = binaries.map((_, i) => join(tmp, `provider-${n}-${i}`));
      const builtin = join(tmp, `builtin-${n}`);
      for (const dir of [...providers, builtin]) mkdirSync(dir);
      const config =
        `terraform {\n  required_providers {\n    iamsession = { source = "registry.terraform.io/iamsession/iamsession" }\n  }\n}\n` +
          accounts
            .slice(0, n)
            .map((id, i) => `resource "iamsession_account_settings" "a${i}" {\n  account_id = "${id}"\n  session_invalidation_in_seconds = "1800"\n}\n`)
            .join("");
      for (const dir of providers) writeFileSync(join(dir, "main.tf"), config);
      writeFileSync(join(builtin, "main.tf"), Array.from({ length: n }, (_, i) => `resource "terraform_data" "a${i}" {\n  input = "1800"\n}\n`).join(""));
      const dirs = [...providers.map((dir, i) => ({ dir, env: envs[i]! })), { dir: builtin, env }];
      for (const { dir, env: e } of dirs) {
        cli(tfBin, dir, e, ["init"]);
        cli(tfBin, dir, e, ["apply", "-auto-approve"]);
        cli(tfBin, dir, e, ["plan"]); // warm-up, not counted
      }
      const p: number[][] = binaries.map(() => []);
      const b: number[] = [];
      for (let r = 0; r < runs; r++) {
        providers.forEach((dir, i) => p[i]!.push(cli(tfBin, dir, envs[i]!, ["plan"])));
        b.push(cli(tfBin, builtin, env, ["plan"]));
      }
      binaries.forEach((binary, i) => {
        const row = { n, binary, providerPlanS: median(p[i]!), terraformDataPlanS: median(b), overheadS: median(p[i]!) - median(b) };
        rows.push(row);
        opts.onRow?.(row); // as each size completes: a failure at N = 100 keeps the smaller results
      });
    }
    return rows;
  } finally {
    await server.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { runs: { type: "string" }, sizes: { type: "string" }, binary: { type: "string" }, baseline: { type: "string", multiple: true } },
  });
  await runPlanOverheadBench({
    runs: values.runs ? Number(values.runs) : undefined,
    sizes: values.sizes?.split(",").map(Number),
    binary: values.binary,
    baselines: values.baseline,
    onRow: (r) => console.log(JSON.stringify(r)),
  });
}
