// Throughput of the settings API against a real server process: GET and PUT of settings, as ratios to a /health
// baseline measured in the same run (absolute numbers depend on the machine; the ratios are what to compare). The
// three are measured in turns (health, GET, PUT, health, GET, PUT, …), so a change in the machine's load during the
// run weighs on all three alike, and all three go through the same load generator (bench/http-load.ts), every answer
// parsed and checked. Each client has its own account: its PUTs are one If-Match chain (each PUT sends the entity tag
// the previous answer gave), which a wrong answer breaks, stopping the run. After each kind of request, where the CPU
// time went, per request: the server's event loop, its writer thread, its other threads, and this process (the load).
//   npx tsx bench/api-put.ts [--seconds 3] [--concurrency 16] [--rounds 3]
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { httpLoad, type HttpLoad } from "./http-load.ts";
import { measure } from "./measure.ts";
import { cpuSplit, threadCpuMs } from "./thread-cpu.ts";
import { createAccountWithKeys, settingsPath, startApiServer, type ApiServer, type StartApiServerOptions } from "../test/helpers/api-server.ts";

/** What every request sends, as a client would (the settings requests add their credential and body). */
const BASE_HEADERS = { accept: "application/json", "user-agent": "iamsession-bench" };

export interface ApiBenchResult {
  health: number;
  get: number;
  put: number;
}

interface Cost {
  requests: number;
  main: number;
  writer: number;
  rest: number;
  load: number;
}

/** The three kinds of request of one server, with each client's account, keys and If-Match chain. */
export async function apiBenchOps(server: ApiServer, load: HttpLoad, concurrency: number) {
  // One account per client for PUTs, so each client's If-Match chain never conflicts with another's.
  const accounts = await Promise.all(Array.from({ length: concurrency }, () => createAccountWithKeys(server)));
  const paths = accounts.map((a) => settingsPath(a.account.account_id));
  const viewerHeaders = accounts.map((a) => ({ ...BASE_HEADERS, authorization: `Bearer ${a.keys.viewer}` }));
  const editorHeaders = accounts.map((a) => ({ ...BASE_HEADERS, authorization: `Bearer ${a.keys.editor}`, "content-type": "application/json" }));
  const tags: string[] = [];
  const values: string[] = [];
  for (let w = 0; w < concurrency; w++) {
    const first = await load.send("GET", paths[w]!, viewerHeaders[w]!);
    if (first.status !== 200) throw new Error(`GET settings: ${first.status} ${first.text}`);
    const body = JSON.parse(first.text) as { entity_tag: string; session_expiration_in_seconds: string };
    tags.push(body.entity_tag);
    values.push(body.session_expiration_in_seconds);
  }
  // Bodies serialised once: 64 distinct values, so consecutive PUTs of a client always change something.
  const choices = Array.from({ length: 64 }, (_, i) => String(900 + i));
  const bodies = choices.map((v) => JSON.stringify({ session_expiration_in_seconds: v }));

  const health = async () => {
    const a = await load.send("GET", "/health", BASE_HEADERS);
    return a.status === 200 && (JSON.parse(a.text) as { status: string }).status === "ok";
  };
  const get = async (w: number) => {
    const a = await load.send("GET", paths[w]!, viewerHeaders[w]!);
    return a.status === 200 && (JSON.parse(a.text) as { account_id: string }).account_id === accounts[w]!.account.account_id;
  };
  const put = async (w: number, i: number) => {
    let c = i % 64;
    if (choices[c] === values[w]) c = (c + 1) % 64;
    const a = await load.send("PUT", paths[w]!, { ...editorHeaders[w]!, "if-match": `"${tags[w]}"` }, bodies[c]);
    if (a.status !== 200) return false;
    const body = JSON.parse(a.text) as { entity_tag: string; session_expiration_in_seconds: string };
    // The change is in the answer, under a new entity tag: the next PUT of this client must carry it.
    if (body.session_expiration_in_seconds !== choices[c] || body.entity_tag === tags[w]) return false;
    tags[w] = body.entity_tag;
    values[w] = choices[c]!;
    return true;
  };
  return { health, get, put };
}

export async function runApiPutBench(seconds = 3, concurrency = 16, rounds = 3, serverOptions: StartApiServerOptions = {}): Promise<ApiBenchResult> {
  const server: ApiServer = await startApiServer(serverOptions);
  const load = httpLoad(server.url, concurrency);
  try {
    const ops = await apiBenchOps(server, load, concurrency);
    const kinds = [
      ["GET /health (baseline)", ops.health],
      ["GET settings", ops.get],
      ["PUT settings (If-Match)", ops.put],
    ] as const;
    // Warm-up (JIT, connections), not counted.
    for (const [, op] of kinds) await measure(Math.min(1, seconds), concurrency, op);
    const rps = kinds.map(() => 0);
    const costs: Cost[] = kinds.map(() => ({ requests: 0, main: 0, writer: 0, rest: 0, load: 0 }));
    for (let r = 0; r < rounds; r++) {
      for (const [k, [, op]] of kinds.entries()) {
        const threads = threadCpuMs(server.pid!);
        const own = process.cpuUsage();
        const run = await measure(seconds, concurrency, op);
        const split = cpuSplit(server.pid!, threads, threadCpuMs(server.pid!));
        const ownUs = process.cpuUsage(own);
        rps[k]! += run.rps / rounds;
        const cost = costs[k]!;
        cost.requests += run.n;
        cost.main += split.main;
        cost.writer += split.busiest;
        cost.rest += split.rest;
        cost.load += (ownUs.user + ownUs.system) / 1000;
      }
    }
    const [health, get, put] = rps as [number, number, number];
    const row = (name: string, v: number) => `${name.padEnd(28)} ${v.toFixed(0).padStart(8)} req/s   ${(v / health).toFixed(2)}× /health`;
    console.log(
      `settings API, ${concurrency} concurrent clients on distinct accounts, ${rounds} rounds of ${seconds}s each ` +
        "(synchronous=FULL: every PUT is durable; PUTs that arrive together share one fsynced commit)",
    );
    for (const [k, [name]] of kinds.entries()) console.log(row(name, rps[k]!));
    console.log(`PUT/GET ratio: ${(put / get).toFixed(2)}`);
    if (costs[0]!.main > 0) {
      const us = (ms: number, n: number) => `${((ms * 1000) / n).toFixed(0).padStart(4)} µs`;
      console.log("CPU per request:             server event loop   writer thread   other threads   load generator");
      for (const [k, [name]] of kinds.entries()) {
        const c = costs[k]!;
        console.log(`  ${name.padEnd(26)} ${us(c.main, c.requests).padStart(17)} ${us(c.writer, c.requests).padStart(15)} ${us(c.rest, c.requests).padStart(15)} ${us(c.load, c.requests).padStart(16)}`);
      }
    }
    return { health, get, put };
  } finally {
    await load.close();
    await server.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" }, rounds: { type: "string" } } });
  await runApiPutBench(Number(values.seconds ?? 3), Number(values.concurrency ?? 16), Number(values.rounds ?? 3));
}
