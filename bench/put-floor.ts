// A floor for the settings benchmark's PUT/health goal (issue #12; `npm run bench` prints its durable and nosync
// variants after the API's numbers): the cheapest durable If-Match PUT this stack can serve, against a /health of the
// same server, under the same load generator and the same closed loop as bench/api-put.ts. The server (this file run with --serve, a child process) is bare node:http
// and better-sqlite3 with nothing of the API: no Hono, no zod, no authentication, no history JSON or hashing, one
// compare-and-set UPDATE and one history INSERT per PUT, and group commit without a thread hand-off (the PUTs that
// arrive in one turn of the event loop share one synchronous=FULL commit, made on the event loop). If even this
// serves PUTs below 0.8× its /health on a machine, the API cannot reach 0.8× there by trimming. `--variant` takes
// parts away to show what each costs: `nosync` commits with synchronous=OFF (not durable: every durable design
// does all of that work and an fsync more, so it bounds them all from above), `echo` answers from memory without
// SQLite (the HTTP body alone).
//   npx tsx bench/put-floor.ts [--seconds 2] [--rounds 3] [--concurrency 16] [--variant durable|nosync|echo]
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { httpLoad } from "./http-load.ts";
import { measure } from "./measure.ts";
import { cpuSplit, threadCpuMs } from "./thread-cpu.ts";

const HEALTH = JSON.stringify({ status: "ok" });

export type Variant = "durable" | "nosync" | "echo";
export const VARIANTS: Variant[] = ["durable", "nosync", "echo"];

function serve(file: string, accounts: number, variant: Variant): void {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma(variant === "nosync" ? "synchronous = OFF" : "synchronous = FULL");
  db.exec(`CREATE TABLE settings (account TEXT PRIMARY KEY, value TEXT NOT NULL, tag INTEGER NOT NULL);
           CREATE TABLE history (id INTEGER PRIMARY KEY, account TEXT NOT NULL, value TEXT NOT NULL, at INTEGER NOT NULL)`);
  const add = db.prepare("INSERT INTO settings VALUES (?, 'NOT_SET', 1)");
  for (let a = 0; a < accounts; a++) add.run(`a${a}`);
  const update = db.prepare("UPDATE settings SET value = ?, tag = tag + 1 WHERE account = ? AND tag = ? RETURNING tag");
  const record = db.prepare("INSERT INTO history (account, value, at) VALUES (?, ?, ?)");
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");

  type Put = { account: string; value: string; tag: number; res: http.ServerResponse };
  let pending: Put[] = [];
  const tags = new Map<string, number>();
  /** The new entity tag when the compare-and-set took, else 412. */
  const answer = (p: Put, tag: number | undefined) =>
    p.res
      .writeHead(tag === undefined ? 412 : 200, { "content-type": "application/json" })
      .end(tag === undefined ? '{"error":"precondition_failed"}' : JSON.stringify({ value: p.value, entity_tag: String(tag) }));
  const echo = (p: Put) => {
    const tag = tags.get(p.account) ?? 1;
    if (tag !== p.tag) return answer(p, undefined);
    tags.set(p.account, tag + 1);
    answer(p, tag + 1);
  };
  const flush = () => {
    const batch = pending;
    pending = [];
    begin.run();
    const answers = batch.map((p) => {
      const row = update.get(p.value, p.account, p.tag) as { tag: number } | undefined;
      if (row) record.run(p.account, p.value, Date.now());
      return row;
    });
    commit.run(); // durable before any answer goes out
    batch.forEach((p, i) => answer(p, answers[i]?.tag));
  };

  const server = http.createServer((req, res) => {
    if (req.url === "/health") {
      res.writeHead(200, { "content-type": "application/json" }).end(HEALTH);
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { value } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { value: string };
      const put = { account: req.url!.slice(3), value, tag: Number(String(req.headers["if-match"]).replaceAll('"', "")), res };
      if (variant === "echo") return echo(put);
      if (pending.length === 0) setImmediate(flush);
      pending.push(put);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as { port: number }).port}\n`));
}

export interface PutFloorResult {
  variant: Variant;
  healthRps: number;
  putRps: number;
  /** CPU µs per request, the server's and the load generator's. */
  healthCpuUs: number;
  putCpuUs: number;
}

export async function runPutFloor(seconds: number, rounds: number, concurrency: number, variant: Variant): Promise<PutFloorResult> {
  const dir = mkdtempSync(join(tmpdir(), "iamsession-put-floor-"));
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--serve", join(dir, "floor.db"), "--concurrency", String(concurrency), "--variant", variant], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      child.stdout.once("data", (d: Buffer) => resolve(d.toString().trim()));
      child.once("exit", (code) => reject(new Error(`floor server exited ${code}`)));
    });
    const load = httpLoad(`http://127.0.0.1:${port}`, concurrency);
    const tags = Array.from({ length: concurrency }, () => 1);
    const headers = { accept: "application/json", "content-type": "application/json" };
    const health = async () => {
      const a = await load.send("GET", "/health", headers);
      return a.status === 200 && (JSON.parse(a.text) as { status: string }).status === "ok";
    };
    const put = async (w: number, i: number) => {
      const value = String(900 + (i % 64));
      const a = await load.send("PUT", `/s/a${w}`, { ...headers, "if-match": `"${tags[w]}"` }, JSON.stringify({ value }));
      if (a.status !== 200) return false;
      const body = JSON.parse(a.text) as { value: string; entity_tag: string };
      if (body.value !== value || Number(body.entity_tag) !== tags[w]! + 1) return false;
      tags[w] = Number(body.entity_tag);
      return true;
    };
    const kinds = [health, put];
    for (const op of kinds) await measure(1, concurrency, op); // warm-up
    const rps = [0, 0];
    const cpu = [0, 0];
    const n = [0, 0];
    for (let r = 0; r < rounds; r++) {
      for (const [k, op] of kinds.entries()) {
        const before = threadCpuMs(child.pid!);
        const own = process.cpuUsage();
        const m = await measure(seconds, concurrency, op);
        const split = cpuSplit(child.pid!, before, threadCpuMs(child.pid!));
        const ownUs = process.cpuUsage(own);
        rps[k]! += m.rps / rounds;
        n[k]! += m.n;
        cpu[k]! += split.main + split.busiest + split.rest + (ownUs.user + ownUs.system) / 1000;
      }
    }
    await load.close();
    return { variant, healthRps: rps[0]!, putRps: rps[1]!, healthCpuUs: (cpu[0]! * 1000) / n[0]!, putCpuUs: (cpu[1]! * 1000) / n[1]! };
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: {
      serve: { type: "string" },
      seconds: { type: "string" },
      rounds: { type: "string" },
      concurrency: { type: "string" },
      variant: { type: "string" },
    },
  });
  const variant = (values.variant ?? "durable") as Variant;
  if (!VARIANTS.includes(variant)) throw new Error(`--variant: durable, nosync or echo, not ${variant}`);
  const concurrency = Number(values.concurrency ?? 16);
  if (values.serve) serve(values.serve, concurrency, variant);
  else {
    const seconds = Number(values.seconds ?? 2);
    const rounds = Number(values.rounds ?? 3);
    const r = await runPutFloor(seconds, rounds, concurrency, variant);
    console.log(`bare node:http + better-sqlite3 floor, ${concurrency} clients on distinct rows, ${rounds} rounds of ${seconds}s`);
    console.log(`${"GET /health".padEnd(26)} ${r.healthRps.toFixed(0).padStart(7)} req/s  ${r.healthCpuUs.toFixed(0).padStart(4)} µs CPU per request (server + load generator)`);
    console.log(`${`PUT (If-Match, ${variant})`.padEnd(26)} ${r.putRps.toFixed(0).padStart(7)} req/s  ${r.putCpuUs.toFixed(0).padStart(4)} µs CPU per request (server + load generator)`);
    console.log(`PUT / health: ${(r.putRps / r.healthRps).toFixed(2)}`);
  }
}
