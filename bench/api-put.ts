// Throughput of the settings API against a real server process: GET and PUT of settings, as ratios to a /health
// baseline measured in the same run (absolute numbers depend on the machine; the ratios are what to compare). The
// three are measured in turns (health, GET, PUT, health, GET, PUT, …), so a change in the machine's load during the
// run weighs on all three alike.
//   npx tsx bench/api-put.ts [--seconds 3] [--concurrency 16] [--rounds 3]
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { measure } from "./measure.ts";
import { apiClient, apiRequest, createAccountWithKeys, startApiServer, type ApiServer } from "../test/helpers/api-server.ts";


export async function runApiPutBench(seconds = 3, concurrency = 16, rounds = 3): Promise<void> {
  const server: ApiServer = await startApiServer();
  try {
    // One account per worker for PUTs, so each worker's If-Match chain never conflicts with another's.
    const accounts = await Promise.all(Array.from({ length: concurrency }, () => createAccountWithKeys(server)));
    // The settings requests go through the API client (client/), as the provider and the drift check send them.
    const viewers = accounts.map((a) => apiClient(server, a.keys.viewer));
    const editors = accounts.map((a) => apiClient(server, a.keys.editor));
    const tags = await Promise.all(accounts.map(async (a, w) => (await viewers[w]!.getAccountSettings(a.account.account_id)).entity_tag));
    const healthOp = async () => (await apiRequest(server, "GET", "/health")).status === 200;
    // A failed request throws (ApiError): the bench stops on the first unexpected answer.
    const getOp = async (w: number) => {
      await viewers[w]!.getAccountSettings(accounts[w]!.account.account_id);
      return true;
    };
    let n = 0;
    const putOp = async (w: number) => {
      const changes = { session_expiration_in_seconds: String(900 + (n++ % 80000)) };
      tags[w] = (await editors[w]!.putAccountSettings(accounts[w]!.account.account_id, tags[w]!, changes)).entity_tag;
      return true;
    };
    // Warm-up (JIT, connections), not counted.
    for (const op of [healthOp, getOp, putOp]) await measure(Math.min(1, seconds), concurrency, op);
    let health = 0;
    let get = 0;
    let put = 0;
    for (let r = 0; r < rounds; r++) {
      health += (await measure(seconds, concurrency, healthOp)).rps / rounds;
      get += (await measure(seconds, concurrency, getOp)).rps / rounds;
      put += (await measure(seconds, concurrency, putOp)).rps / rounds;
    }
    const row = (name: string, rps: number) => `${name.padEnd(28)} ${rps.toFixed(0).padStart(8)} req/s   ${(rps / health).toFixed(2)}× /health`;
    console.log(
      `settings API, ${concurrency} concurrent clients on distinct accounts, ${rounds} rounds of ${seconds}s each ` +
        "(synchronous=FULL: every PUT is durable; PUTs that arrive together share one fsynced commit)",
    );
    console.log(row("GET /health (baseline)", health));
    console.log(row("GET settings", get));
    console.log(row("PUT settings (If-Match)", put));
    console.log(`PUT/GET ratio: ${(put / get).toFixed(2)}`);
  } finally {
    await server.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" }, rounds: { type: "string" } } });
  await runApiPutBench(Number(values.seconds ?? 3), Number(values.concurrency ?? 16), Number(values.rounds ?? 3));
}
