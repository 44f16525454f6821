// Throughput of the session engine, as ratios to a /health baseline measured in the same run, with 16 concurrent
// clients: session validations (GET /v1/session with a Bearer session token) and CLI logins (POST /v1/sessions with
// an identity API key), with a settings PUT (one fsynced transaction, like a login) for comparison, and the database
// rows written per validation (last-access writes are throttled to one per session per minute).
//
// The throughput runs against a real server process (`api/main.ts`, its writer thread and group commit), as
// bench/api-put.ts does, measured in turns (health, validate, login, PUT, health, …) so that a change in the machine's
// load weighs on all alike. Each client has its own account, identity and session: logins never evict (unlimited
// sessions, the default) and PUTs never conflict.
//
// Rows written cannot be counted from outside the server, so the validations are repeated on the same app served in
// this process over its own connection (test/helpers/session-server.ts: the same engine and store code, its writer on
// this connection), whose total_changes() counts every row the validations insert, update or delete.
//   npx tsx bench/sessions.ts [--seconds 3] [--concurrency 16] [--rounds 3] [--root <checkout>]
// --root runs another checkout's server (api/main.ts there), to compare an old version with this one in turns.
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { measure } from "./measure.ts";
import {
  addMember,
  apiRequest,
  createAccount,
  createApiKey,
  createIdentity,
  putSettings,
  startApiServer,
  type ApiServer,
  type StartApiServerOptions,
} from "../test/helpers/api-server.ts";
import { cliLogin, createIdentityKey, startInProcessServer } from "../test/helpers/session-server.ts";
import { systemClock } from "../api/sessions/clock.ts";

interface Client {
  accountId: string;
  /** The account's editor key (for the PUTs). */
  editor: string;
  /** The identity's API key (for the logins). */
  key: string;
  token: string;
}

/** One account (and an editor key of it), identity (a member of it), identity API key and CLI session per client. */
function clientsOf(server: ApiServer, concurrency: number): Promise<Client[]> {
  return Promise.all(
    Array.from({ length: concurrency }, async () => {
      const { account_id } = await createAccount(server);
      const editor = (await createApiKey(server, account_id, "editor")).key;
      const { iam_id } = await createIdentity(server);
      await addMember(server, account_id, iam_id);
      const { key } = await createIdentityKey(server, iam_id);
      const login = await cliLogin(server, account_id, key);
      if (login.status !== 201) throw new Error(`login: ${login.status} ${login.text}`);
      return { accountId: account_id, editor, key, token: login.body.token as string };
    }),
  );
}

export async function runSessionBench(seconds = 3, concurrency = 16, rounds = 3, serverOptions: StartApiServerOptions = {}): Promise<void> {
  let health = 0;
  let validate = 0;
  let login = 0;
  let put = 0;
  const server = await startApiServer(serverOptions);
  try {
    const clients = await clientsOf(server, concurrency);
    const healthOp = async () => (await apiRequest(server, "GET", "/health")).status === 200;
    const validateOp = async (w: number) => (await apiRequest(server, "GET", "/v1/session", { token: clients[w]!.token })).status === 200;
    const loginOp = async (w: number) => (await cliLogin(server, clients[w]!.accountId, clients[w]!.key)).status === 201;
    const putOp = async (w: number, i: number) =>
      (await putSettings(server, clients[w]!.accountId, { session_expiration_in_seconds: String(900 + (i % 80000)) }, { token: clients[w]!.editor })).status === 200;
    const ops = [healthOp, validateOp, loginOp, putOp];
    // Warm-up (JIT, connections), not counted.
    for (const op of ops) await measure(Math.min(1, seconds), concurrency, op);
    for (let r = 0; r < rounds; r++) {
      health += (await measure(seconds, concurrency, healthOp)).rps / rounds;
      validate += (await measure(seconds, concurrency, validateOp)).rps / rounds;
      login += (await measure(seconds, concurrency, loginOp)).rps / rounds;
      put += (await measure(seconds, concurrency, putOp)).rps / rounds;
    }
  } finally {
    await server.dispose();
  }

  // Rows written per validation, counted on the in-process server's own connection.
  const local = await startInProcessServer({ clock: systemClock });
  let writes: number;
  let validations: number;
  try {
    const clients = await clientsOf(local, concurrency);
    const changes = () => (local.db.prepare("SELECT total_changes() AS n").get() as { n: number }).n;
    const before = changes();
    const run = await measure(seconds, concurrency, async (w) => (await apiRequest(local, "GET", "/v1/session", { token: clients[w]!.token })).status === 200);
    writes = changes() - before;
    validations = run.n;
  } finally {
    await local.dispose();
  }

  const row = (name: string, rps: number) => `${name.padEnd(30)} ${rps.toFixed(0).padStart(8)} req/s   ${(rps / health).toFixed(2)}× /health`;
  console.log(
    `session engine, ${concurrency} concurrent clients (one account, identity and session each), ${rounds} rounds of ${seconds}s each ` +
      "(API server process, synchronous=FULL: every login and PUT is durable)",
  );
  console.log(row("GET /health (baseline)", health));
  console.log(row("GET /v1/session (validate)", validate));
  console.log(row("POST /v1/sessions (CLI login)", login));
  console.log(row("PUT settings (If-Match *)", put));
  console.log(`CLI login / settings PUT: ${(login / put).toFixed(2)}`);
  console.log(`rows written per validation: ${(writes / validations).toFixed(4)} (${writes} over ${validations} validations of ${concurrency} sessions in ${seconds}s, API in this process)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" }, rounds: { type: "string" }, root: { type: "string" } } });
  await runSessionBench(Number(values.seconds ?? 3), Number(values.concurrency ?? 16), Number(values.rounds ?? 3), values.root ? { root: values.root } : {});
}
