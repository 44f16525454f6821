// What the provider adds to a `plan`: plan of N iamsession_account_settings (already applied, so every plan reads
// each one from the API) minus plan of N built-in terraform_data resources (the CLI with no provider at all), for
// N = 1, 10, 100, against the real API on a real SQLite file, with the shipped single executable installed from a
// filesystem mirror. Per plan the CLI starts the provider 3 times (exec → handshake, Shutdown → exit each time).
// With --baseline (another build of the executable, e.g. of main), its plans are measured in the same run, in
// turn with the others, so that a change is compared under the same load (the machine's load moves these numbers
// by tens of percent). Each plan's CPU time (the CLI's and its providers', all threads, Linux) is measured too
// (cpuOverheadS): on a shared machine it moves far less than the wall time.
//   npx tsx bench/plan-overhead.ts [--runs 3] [--sizes 1,10,100] [--binary PATH] [--baseline PATH]
//   (TF_BINARY picks the CLI)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { createAccount, startApiServer, type ApiServer } from "../test/helpers/api-server.ts";
import { median } from "./median.ts";
import { buildExecutable } from "./provider-process.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface PlanOverheadRow {
  n: number;
  providerPlanS: number;
  /** Fastest and slowest plan of the runs. */
  providerPlanRangeS: [number, number];
  terraformDataPlanS: number;
  overheadS: number;
  /** With a baseline executable: its median plan and overhead, measured in turn with the others. */
  baselinePlanS?: number;
  baselineOverheadS?: number;
  baselinePlanRangeS?: [number, number];
  /** CPU time (the CLI's and its providers', all threads) of the median plan minus terraform_data's: unlike the wall
   * time, hardly moved by other jobs on the machine. */
  cpuOverheadS: number;
  baselineCpuOverheadS?: number;
  /** The machine's 1-minute load average when the size was done. */
  loadAverage: number;
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }));
/** CPU seconds of this process's reaped children: the CLI's, which include its providers' (it waits for each). */
function childrenCpuS(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS; // cutime + cstime
}

/** Runs the CLI; returns its wall time and the CPU time of it and its providers, s. */
export function cli(bin: string, dir: string, env: NodeJS.ProcessEnv, args: string[]): { s: number; cpuS: number } {
  const t0 = performance.now();
  const cpu0 = childrenCpuS();
  const r = spawnSync(bin, [...args, "-no-color", "-input=false"], { cwd: dir, env, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return { s: (performance.now() - t0) / 1000, cpuS: childrenCpuS() - cpu0 };
}

/**
 * The environment a benchmark's CLI runs with: a filesystem mirror of `exe` (under `tmp`, named `name`) as its only
 * provider installation, the API's endpoint and token, and none of the caller's TF_LOG, TF_VAR_ or TF_CLI_ARGS.
 */
export function mirroredCliEnv(tmp: string, name: string, exe: string, server: ApiServer): NodeJS.ProcessEnv {
  const mirror = join(tmp, `mirror-${name}`);
  execFileSync(process.execPath, [join(ROOT, "scripts/provider-mirror.mjs"), mirror, "--binary", exe], { stdio: "ignore" });
  const rc = join(tmp, `${name}.tfrc`);
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
}

/** A configuration of one iamsession_account_settings per account. */
export function settingsConfig(accounts: string[]): string {
  return (
    `terraform {\n  required_providers {\n    iamsession = { source = "registry.terraform.io/iamsession/iamsession" }\n  }\n}\n` +
    accounts
      .map((id, i) => `resource "iamsession_account_settings" "a${i}" {\n  account_id = "${id}"\n  session_invalidation_in_seconds = "1800"\n}\n`)
      .join("")
  );
}

export async function runPlanOverheadBench(
  opts: { runs?: number; sizes?: number[]; binary?: string; baseline?: string; onRow?: (row: PlanOverheadRow) => void } = {},
): Promise<PlanOverheadRow[]> {
  const runs = opts.runs ?? 3;
  const sizes = opts.sizes ?? [1, 10, 100];
  const tfBin = process.env.TF_BINARY || "terraform";
  const binary = opts.binary ?? buildExecutable();
  const tmp = mkdtempSync(join(tmpdir(), "bench-plan-"));
  let server: ApiServer | undefined;
  try {
    server = await startApiServer();
    // One filesystem mirror (and CLI configuration) per executable.
    const env = mirroredCliEnv(tmp, "provider", binary, server);
    const baselineEnv = opts.baseline ? mirroredCliEnv(tmp, "baseline", opts.baseline, server) : undefined;
    const accounts: string[] = [];
    for (let i = 0; i < Math.max(...sizes); i++) accounts.push((await createAccount(server, { accountId: `bench-${i}` })).account_id);

    const rows: PlanOverheadRow[] = [];
    for (const n of sizes) {
      const provider = join(tmp, `provider-${n}`);
      const baseline = join(tmp, `baseline-${n}`);
      const builtin = join(tmp, `builtin-${n}`);
      mkdirSync(provider);
      mkdirSync(builtin);
      const providerConfig = settingsConfig(accounts.slice(0, n));
      writeFileSync(join(provider, "main.tf"), providerConfig);
      const dirs: [string, NodeJS.ProcessEnv][] = [
        [provider, env],
        [builtin, env],
      ];
      if (baselineEnv) {
        mkdirSync(baseline);
        writeFileSync(join(baseline, "main.tf"), providerConfig);
        dirs.push([baseline, baselineEnv]);
      }
      writeFileSync(join(builtin, "main.tf"), Array.from({ length: n }, (_, i) => `resource "terraform_data" "a${i}" {\n  input = "1800"\n}\n`).join(""));
      for (const [dir, e] of dirs) {
        cli(tfBin, dir, e, ["init"]);
        cli(tfBin, dir, e, ["apply", "-auto-approve"]);
        cli(tfBin, dir, e, ["plan"]); // warm-up, not counted
      }
      const p: number[] = [];
      const b: number[] = [];
      const base: number[] = [];
      const cpu = { p: [] as number[], b: [] as number[], base: [] as number[] };
      const plan = (dir: string, e: NodeJS.ProcessEnv, wall: number[], cpus: number[]) => {
        const { s, cpuS } = cli(tfBin, dir, e, ["plan"]);
        wall.push(s);
        cpus.push(cpuS);
      };
      for (let r = 0; r < runs; r++) {
        plan(provider, env, p, cpu.p);
        plan(builtin, env, b, cpu.b);
        if (baselineEnv) plan(baseline, baselineEnv, base, cpu.base);
      }
      const row: PlanOverheadRow = {
        n,
        providerPlanS: median(p),
        providerPlanRangeS: [Math.min(...p), Math.max(...p)],
        terraformDataPlanS: median(b),
        overheadS: median(p) - median(b),
        cpuOverheadS: median(cpu.p) - median(cpu.b),
        loadAverage: loadavg()[0]!,
      };
      if (baselineEnv) {
        row.baselinePlanS = median(base);
        row.baselineOverheadS = median(base) - median(b);
        row.baselinePlanRangeS = [Math.min(...base), Math.max(...base)];
        row.baselineCpuOverheadS = median(cpu.base) - median(cpu.b);
      }
      rows.push(row);
      opts.onRow?.(row); // as each size completes: a failure at N = 100 keeps the smaller results
    }
    return rows;
  } finally {
    await server?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { runs: { type: "string" }, sizes: { type: "string" }, binary: { type: "string" }, baseline: { type: "string" } },
  });
  await runPlanOverheadBench({
    runs: values.runs ? Number(values.runs) : undefined,
    sizes: values.sizes?.split(",").map(Number),
    binary: values.binary,
    baseline: values.baseline,
    onRow: (r) => console.log(JSON.stringify(r)),
  });
}
