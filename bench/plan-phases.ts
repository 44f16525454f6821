// Where the wall time of an N = 1 `plan` goes, from the CLI's own trace log (TF_LOG=trace, millisecond timestamps),
// for one or more builds of the executable measured in turn: the CLI's hash of the installed package against the lock
// file (at the start of every command, so its cost follows the executable's size), the CLI's AutoMTLS certificates,
// and per provider process the start → handshake line, line → first RPC, the RPCs, and Close → exit. A diagnostic
// outside `npm run bench` (README, "plan overhead"): trace logging slows the RPCs, so the parts are for comparing,
// and bench/plan-overhead.ts measures plans as users run them.
//   npx tsx bench/plan-phases.ts [--runs 7] NAME=EXECUTABLE [NAME=EXECUTABLE ...]   (TF_BINARY picks the CLI)
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createAccount, startApiServer } from "../test/helpers/api-server.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PARTS = [
  "package hash",
  "CLI AutoMTLS certificates",
  "start → handshake line",
  "line → first RPC",
  "first RPC → Close",
  "Close → exited",
  "whole plan",
] as const;
type Part = (typeof PARTS)[number];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The parts of one plan's trace log, in ms; the per-process parts summed over the plan's provider processes. */
export function planPhases(log: string): Record<Part, number> {
  const lines = log.split("\n").filter((l) => /^\d{4}-/.test(l));
  const t = (k: number) => Date.parse(lines[k]!.split(" ")[0]!);
  const find = (re: RegExp, from: number) => {
    for (let k = from; k < lines.length; k++) if (re.test(lines[k]!)) return k;
    throw new Error(`no ${re} in the trace after line ${from}`);
  };
  // The line that names the installed package is followed, once it is hashed, by the provisioner lookup.
  const pkg = find(/as a candidate package/, 0);
  const out = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  out["package hash"] = t(pkg + 1) - t(pkg);
  let k = pkg;
  for (;;) {
    let mtls: number;
    try {
      mtls = find(/configuring client automatic mTLS/, k);
    } catch {
      break;
    }
    const start = find(/provider: starting plugin/, mtls);
    const line = find(/provider: using plugin: version/, start);
    const rpc = find(/GRPCProvider\.v6: [A-Z]/, line);
    const close = find(/GRPCProvider\.v6: Close/, rpc);
    const exited = find(/provider: plugin process exited/, close);
    out["CLI AutoMTLS certificates"] += t(start) - t(mtls);
    out["start → handshake line"] += t(line) - t(start);
    out["line → first RPC"] += t(rpc) - t(line);
    out["first RPC → Close"] += t(close) - t(rpc);
    out["Close → exited"] += t(exited) - t(close);
    k = exited;
  }
  out["whole plan"] = t(lines.length - 1) - t(0);
  return out;
}

export async function runPlanPhases(executables: [string, string][], runs = 7): Promise<Record<string, Record<Part, number[]>>> {
  const tfBin = process.env.TF_BINARY || "terraform";
  const tmp = mkdtempSync(join(tmpdir(), "bench-phases-"));
  const server = await startApiServer();
  try {
    const account = (await createAccount(server, { accountId: "phases-0" })).account_id;
    const dirs = executables.map(([name, exe]) => {
      const mirror = join(tmp, `mirror-${name}`);
      execFileSync(process.execPath, [join(ROOT, "scripts/provider-mirror.mjs"), mirror, "--binary", exe], { stdio: "ignore" });
      const rc = join(tmp, `${name}.tfrc`);
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(
        join(dir, "main.tf"),
        `terraform {\n  required_providers {\n    iamsession = { source = "registry.terraform.io/iamsession/iamsession" }\n  }\n}\n` +
          `resource "iamsession_account_settings" "a" {\n  account_id = "${account}"\n  session_invalidation_in_seconds = "1800"\n}\n`,
      );
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        TF_CLI_CONFIG_FILE: rc,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        IAMSESSION_ENDPOINT: server.url,
        IAMSESSION_TOKEN: server.adminToken,
      };
      for (const key of Object.keys(env)) if (/^TF_(LOG|VAR_|CLI_ARGS)/.test(key)) delete env[key];
      return { name, dir, env };
    });
    const cli = (dir: string, env: NodeJS.ProcessEnv, args: string[]) => {
      const r = spawnSync(tfBin, [...args, "-no-color", "-input=false"], { cwd: dir, env, encoding: "utf8" });
      if (r.status !== 0) throw new Error(`${tfBin} ${args.join(" ")} exited ${r.status}\n${r.stderr}`);
    };
    for (const { dir, env } of dirs) {
      cli(dir, env, ["init"]);
      cli(dir, env, ["apply", "-auto-approve"]);
      cli(dir, env, ["plan"]); // warm-up (file cache, code cache), not counted
    }
    const results = Object.fromEntries(dirs.map(({ name }) => [name, Object.fromEntries(PARTS.map((p) => [p, [] as number[]]))])) as Record<
      string,
      Record<Part, number[]>
    >;
    for (let r = 0; r < runs; r++) {
      for (const { name, dir, env } of dirs) {
        const log = join(tmp, "trace.log");
        rmSync(log, { force: true });
        cli(dir, { ...env, TF_LOG: "trace", TF_LOG_PATH: log }, ["plan"]);
        const phases = planPhases(readFileSync(log, "utf8"));
        for (const p of PARTS) results[name]![p].push(phases[p]);
      }
    }
    return results;
  } finally {
    await server.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ options: { runs: { type: "string" } }, allowPositionals: true });
  const executables = positionals.map((p) => {
    const at = p.indexOf("=");
    if (at < 1) throw new Error(`expected NAME=EXECUTABLE, got ${p}`);
    return [p.slice(0, at), p.slice(at + 1)] as [string, string];
  });
  if (executables.length === 0) throw new Error("usage: npx tsx bench/plan-phases.ts [--runs 7] NAME=EXECUTABLE ...");
  const results = await runPlanPhases(executables, values.runs ? Number(values.runs) : undefined);
  console.log(`N = 1 plan, parts summed over its provider processes: median ms (each run), ${process.env.TF_BINARY || "terraform"}`);
  for (const [name, parts] of Object.entries(results)) {
    console.log(name);
    for (const p of PARTS) console.log(`  ${p.padEnd(28)} ${String(median(parts[p])).padStart(5)}   ${parts[p].join(" ")}`);
  }
}
