// Where the wall time of an N = 1 `plan` goes, from the CLI's own trace log (TF_LOG=trace, millisecond timestamps),
// for one or more builds of the executable measured in turn: the CLI's hash of the installed package against the lock
// file (at the start of every command, so its cost follows the executable's size), the CLI's AutoMTLS certificates,
// and per provider process the start → handshake line, line → first RPC, the RPCs, and Close → exit (README, "plan
// overhead"; `npm run bench` prints them after the plan overhead). Trace logging slows the RPCs, so the parts are
// for comparing, and bench/plan-overhead.ts measures plans as users run them.
//   npx tsx bench/plan-phases.ts [--runs 7] NAME=EXECUTABLE [NAME=EXECUTABLE ...]   (TF_BINARY picks the CLI)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createAccount, startApiServer } from "../test/helpers/api-server.ts";
import { median } from "./median.ts";
import { cli, mirroredCliEnv, settingsConfig } from "./plan-overhead.ts";

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

/** The parts of one plan's trace log, in ms; the per-process parts summed over the plan's provider processes. */
export function planPhases(log: string): Record<Part, number> {
  const lines = log.split("\n").filter((l) => /^\d{4}-/.test(l));
  const t = (k: number) => Date.parse(lines[k]!.split(" ")[0]!);
  const next = (re: RegExp, from: number) => lines.findIndex((l, k) => k >= from && re.test(l));
  const find = (re: RegExp, from: number) => {
    const k = next(re, from);
    if (k < 0) throw new Error(`no ${re} in the trace after line ${from}`);
    return k;
  };
  // The line that names the installed package is followed, once it is hashed, by the provisioner lookup.
  const pkg = find(/as a candidate package/, 0);
  const out = Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>;
  out["package hash"] = t(pkg + 1) - t(pkg);
  // One round per provider process: from the CLI's certificate for it to its exit.
  for (let mtls = next(/configuring client automatic mTLS/, pkg); mtls >= 0; ) {
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
    mtls = next(/configuring client automatic mTLS/, exited);
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
      const dir = join(tmp, name);
      mkdirSync(dir);
      writeFileSync(join(dir, "main.tf"), settingsConfig([account]));
      return { name, dir, env: mirroredCliEnv(tmp, name, exe, server) };
    });
    for (const { dir, env } of dirs) {
      cli(tfBin, dir, env, ["init"]);
      cli(tfBin, dir, env, ["apply", "-auto-approve"]);
      cli(tfBin, dir, env, ["plan"]); // warm-up (file cache, code cache), not counted
    }
    const results = Object.fromEntries(dirs.map(({ name }) => [name, Object.fromEntries(PARTS.map((p) => [p, [] as number[]]))])) as Record<
      string,
      Record<Part, number[]>
    >;
    for (let r = 0; r < runs; r++) {
      for (const { name, dir, env } of dirs) {
        const log = join(tmp, "trace.log");
        rmSync(log, { force: true });
        cli(tfBin, dir, { ...env, TF_LOG: "trace", TF_LOG_PATH: log }, ["plan"]);
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
