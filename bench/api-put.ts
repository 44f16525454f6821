// Throughput of the settings API against a real server process: GET and PUT of settings, as ratios to a /health
// baseline measured in the same run (absolute numbers depend on the machine; the ratios are what to compare).
//   npx tsx bench/api-put.ts [--seconds 3] [--concurrency 8]
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { measure } from "./measure.ts";
import { apiClient, apiRequest, createAccountWithKeys, startApiServer, type ApiServer } from "../test/helpers/api-server.ts";


export async function runApiPutBench(seconds = 3, concurrency = 8): Promise<void> {
  const server: ApiServer = await startApiServer();
  try {
    // One account per worker for PUTs, so each worker's If-Match chain never conflicts with another's.
    const accounts = await Promise.all(Array.from({ length: concurrency }, () => createAccountWithKeys(server)));
    // The settings requests go through the API client (client/), as the provider and the drift check send them.
    const viewers = accounts.map((a) => apiClient(server, a.keys.viewer));
    const editors = accounts.map((a) => apiClient(server, a.keys.editor));
    const tags = await Promise.all(accounts.map(async (a, w) => (await viewers[w]!.getAccountSettings(a.account.account_id)).entity_tag));
    const healthOp = async () => (await apiRequest(server, "GET", "/health")).status === 200;
    await measure(Math.min(1, seconds), concurrency, healthOp); // warm-up (JIT, connections), not counted
    const { rps: health } = await measure(seconds, concurrency, healthOp);
    // A failed request throws (ApiError): the bench stops on the first unexpected answer.
    const { rps: get } = await measure(seconds, concurrency, async (w) => {
      await viewers[w]!.getAccountSettings(accounts[w]!.account.account_id);
      return true;
    });
    const { rps: put } = await measure(seconds, concurrency, async (w, i) => {
      const changes = { session_expiration_in_seconds: String(900 + (i % 80000)) };
      tags[w] = (await editors[w]!.putAccountSettings(accounts[w]!.account.account_id, tags[w]!, changes)).entity_tag;
      return true;
    });
    const row = (name: string, rps: number) => `${name.padEnd(28)} ${rps.toFixed(0).padStart(8)} req/s   ${(rps / health).toFixed(2)}× /health`;
    console.log(`settings API, ${concurrency} concurrent clients, ${seconds}s each (synchronous=FULL: every PUT is fsynced)`);
    console.log(row("GET /health (baseline)", health));
    console.log(row("GET settings", get));
    console.log(row("PUT settings (If-Match)", put));
    console.log(`PUT/GET ratio: ${(put / get).toFixed(2)}`);
  } finally {
    await server.dispose();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: "string" }, concurrency: { type: "string" } } });
  await runApiPutBench(Number(values.seconds ?? 3), Number(values.concurrency ?? 8));
}
