// npm run bench: every benchmark, each against a baseline (a floor) measured in the same run, with the goal it is
// held to (PASS/MISS; a benchmark reports, it does not fail the run):
//   1. provider process: exec → handshake of the shipped single executable vs `node -e 0` of the same Node
//      (goal ≤ 1.1×), exec → first RPC answered (no goal: the total the CLI waits for), and Shutdown → exit
//      (goal ≤ 10 ms)
//   2. plan overhead: plan of N iamsession_account_settings − plan of N terraform_data, N = 1, 10, 100
//      (goals ≤ 0.30 s at N = 1, ≤ 0.8 s at N = 100)
//      and, from the CLI's trace log, the parts of an N = 1 plan (bench/plan-phases.ts): how much of it is the CLI
//      hashing the installed package, its certificates and the provider processes
//   3. settings API: GET and PUT throughput, against GET /health; then the floor under that goal
//      (bench/put-floor.ts): bare node:http + better-sqlite3 PUTs, with and without the fsync, against their /health
//   4. session engine: validations and CLI logins, against GET /health, and rows written per validation
import { runApiPutBench } from "./api-put.ts";
import { median } from "./median.ts";
import { runPlanOverheadBench } from "./plan-overhead.ts";
import { runPlanPhases } from "./plan-phases.ts";
import { runPutFloor } from "./put-floor.ts";
import { buildExecutable, runProviderProcessBench } from "./provider-process.ts";
import { runSessionBench } from "./sessions.ts";

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");
const ms = (v: number) => `${v.toFixed(1)} ms`;

console.log("== provider process (single executable for this machine)");
const binary = buildExecutable();
const p = await runProviderProcessBench({ binary, runs: 20 });
const ratio = p.handshakeMs / p.nodeFloorMs;
console.log(`exec → handshake        ${ms(p.handshakeMs)}   node -e 0 (same Node 24) ${ms(p.nodeFloorMs)}   ratio ${ratio.toFixed(2)}×  goal ≤ 1.1×  ${verdict(ratio <= 1.1)}`);
console.log(`                                  machine's node -e 0 (${process.version}) ${ms(p.systemNodeMs)}`);
console.log(`exec → first answer     ${ms(p.firstAnswerMs)}   (Health/Check over mTLS: what a process costs before it serves; ${(p.firstAnswerMs / p.nodeFloorMs).toFixed(2)}× node -e 0)`);
console.log(`Shutdown → exit         ${ms(p.shutdownToExitMs)}   goal ≤ 10 ms  ${verdict(p.shutdownToExitMs <= 10)}`);

console.log(`\n== plan overhead (${process.env.TF_BINARY || "terraform"}; median of 3 plans each)`);
const goals: Record<number, number> = { 1: 0.3, 100: 0.8 };
await runPlanOverheadBench({
  binary,
  onRow: (row) => {
    const goal = goals[row.n];
    console.log(
      `N = ${String(row.n).padStart(3)}   plan ${row.providerPlanS.toFixed(2)} s (${row.providerPlanRangeS.map((x) => x.toFixed(2)).join("–")})   ` +
        `terraform_data ${row.terraformDataPlanS.toFixed(2)} s   load ${row.loadAverage.toFixed(1)}   ` +
        `overhead ${row.overheadS.toFixed(2)} s (CPU ${row.cpuOverheadS.toFixed(2)} s)${goal ? `   goal ≤ ${goal} s  ${verdict(row.overheadS <= goal)}` : ""}`,
    );
  },
});

const phases = Object.values(await runPlanPhases([["provider", binary]], 3))[0]!;
console.log(
  "N = 1 plan in parts (TF_LOG=trace, median of 3; summed over its provider processes): " +
    Object.entries(phases)
      .map(([part, xs]) => `${part} ${median(xs)} ms`)
      .join(", "),
);

console.log("\n== settings API throughput");
await runApiPutBench(2, 16, 3);
// The floor: no API at all, so no trimming of the API gets its PUTs above these on this machine.
const floors = [];
for (const variant of ["durable", "nosync"] as const) floors.push(await runPutFloor(2, 3, 16, variant));
const [durable, nosync] = floors.map((f) => f.putRps / f.healthRps) as [number, number];
console.log(
  `floor, bare node:http + better-sqlite3 (no Hono, zod, authentication or history JSON): PUT ${durable.toFixed(2)}× its /health ` +
    `durable, ${nosync.toFixed(2)}× without the fsync (an upper bound for every durable design); goal 0.8× ` +
    (nosync < 0.8 ? "is above that bound: out of reach on this machine" : "is within that bound"),
);

console.log("\n== session engine");
await runSessionBench(2, 16, 3);
