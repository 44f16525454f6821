// Throughput of the session engine, as ratios to a /health baseline measured in the same run, with 16 concurrent
// clients: session validations (GET /v1/session with a Bearer session token) and CLI logins (POST /v1/sessions),
// with a settings PUT (one fsynced transaction, like a login) for comparison, and the database rows written per
// validation (last-access writes are throttled to one per session per minute).
// The API runs in this process (the real app over a real SQLite file, served on 127.0.0.1 by @hono/node-server) so
// that the rows it writes can be counted on its own connection; the clients share the process, which slows every
// measurement alike, so compare the ratios.
//   npx tsx bench/sessions.ts [--seconds 3] [--concurrency 16]
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { measure } from "./measure.ts";
import { addMember, apiRequest, createAccount, createApiKey, createIdentity, putSettings } from "../test/helpers/api-server.ts";
import { cliLogin, createIdentityKey, startInProcessServer } from "../test/helpers/session-server.ts";
import { systemClock } from "../api/sessions/clock.ts";


export async function runSessionBench(seconds = 3, concurrency = 16): Promise<void> {
  const server = await startInProcessServer({ clock: systemClock });
  try {
    const { account_id } = await createAccount(server);
    const editor = (await createApiKey(server, account_id, "editor")).key;
    // One identity per client, unlimited sessions (the default): a login is an insert, never an eviction.
    const clients = await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const { iam_id } = await createIdentity(server);
        await addMember(server, account_id, iam_id);
        const { key } = await createIdentityKey(server, iam_id);
        const login = await cliLogin(server, account_id, key);
        return { key, token: login.body.token as string };
      }),
    );
    const changes = () => (server.db.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
    const healthOp = async () => (await apiRequest(server, "GET", "/health")).status === 200;
    await measure(Math.min(1, seconds), concurrency, healthOp); // warm-up, not counted
    const health = await measure(seconds, concurrency, healthOp);
    const before = changes();
    const validations = await measure(seconds, concurrency, async (w) => (await apiRequest(server, "GET", "/v1/session", { token: clients[w]!.token })).status === 200);
    const writes = changes() - before;
    const logins = await measure(seconds, concurrency, async (w) => (await cliLogin(server, account_id, clients[w]!.key)).status === 201);
    const puts = await measure(seconds, concurrency, async (_w, i) => {
      const res = await putSettings(server, account_id, { session_expiration_in_seconds: String(900 + (i % 80000)) }, { token: editor });
      return res.status === 200;
    });
    const row = (name: string, rps: number) => `${name.padEnd(30)} ${rps.toFixed(0).padStart(8)} req/s   ${(rps / health.rps).toFixed(2)}× /health`;
    console.log(`session engine, ${concurrency} concurrent clients, ${seconds}s each (API in-process, synchronous=FULL)`);
    console.log(row("GET /health (baseline)", health.rps));
    console.log(row("GET /v1/session (validate)", validations.rps));
    console.log(row("POST /v1/sessions (CLI login)", logins.rps));
    console.log(row("PUT settings (If-Match *)", puts.rps));
    console.log(`CLI login / settings PUT: ${(logins.rps / puts.rps).toFixed(2)}`);
    console.log(`rows written per validation: ${(writes / validations.n).toFixed(4)} (${writes} over ${validations.n} validations of ${concurrency} sessions in ${seconds}s)`);
  } finally {
    await server.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" } } });
  await runSessionBench(Number(values.seconds ?? 3), Number(values.concurrency ?? 16));
}
