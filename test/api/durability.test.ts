// Concurrency (compare-and-set under 20 simultaneous writers), durability across kill -9, persistence across restart.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiKey, getSettings, historyOf, putSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe("concurrent writers with the same entity_tag", () => {
  it("exactly one of 20 wins; the rest get 412; one history entry; the winner's value stays", async () => {
    const acct = (await createAccount(server)).account_id;
    const before = await getSettings(server, acct, { includeHistory: true });
    const values = Array.from({ length: 20 }, (_, i) => String(1000 + i));
    const results = await Promise.all(
      values.map((v) => putSettings(server, acct, { session_expiration_in_seconds: v }, { ifMatch: `"${before.entity_tag}"` })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = values[statuses.indexOf(200)]!;
    const after = await getSettings(server, acct, { includeHistory: true });
    expect(after.session_expiration_in_seconds).toBe(winner);
    expect(after.history).toHaveLength(before.history!.length + 1);
    expect(after.history!.at(-1)!.new.session_expiration_in_seconds).toBe(winner);
    expect(after.entity_tag).toBe(results[statuses.indexOf(200)]!.body.entity_tag);
  });
});

describe("durability", () => {
  it("every acknowledged write survives kill -9, in order", async () => {
    const acct = (await createAccount(server)).account_id;
    const acknowledged: string[] = [];
    let tag = (await getSettings(server, acct)).entity_tag;
    let killed: Promise<void> | undefined;
    for (let i = 0; i < 2000; i++) {
      const value = String(900 + i);
      let res;
      try {
        res = await putSettings(server, acct, { session_expiration_in_seconds: value }, { ifMatch: `"${tag}"` });
      } catch {
        break; // the connection died with the server
      }
      if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${res.text}`);
      acknowledged.push(value);
      tag = res.body.entity_tag;
      // Kill while the next request is (very likely) in flight.
      if (i === 40) killed = server.kill9();
    }
    await killed;
    expect(acknowledged.length).toBeGreaterThan(40);

    await server.restart();
    const s = await getSettings(server, acct);
    const history = await historyOf(server, acct);
    const written = history.map((h) => h.new.session_expiration_in_seconds);
    // Every acknowledged write is there, in order; at most one more (committed, but its answer was lost).
    expect(written.slice(0, acknowledged.length)).toEqual(acknowledged);
    expect(written.length - acknowledged.length).toBeLessThanOrEqual(1);
    expect(history.map((h) => h.version)).toEqual(written.map((_, i) => i + 2));
    expect(s.session_expiration_in_seconds).toBe(written.at(-1));
  });

  it("accounts, keys, settings and history persist across a graceful restart", async () => {
    const acct = (await createAccount(server)).account_id;
    const owner = await createApiKey(server, acct, "owner");
    const put = await putSettings(server, acct, { max_sessions_per_identity: "7" }, { token: owner.key });
    expect(put.status).toBe(200);
    const before = await getSettings(server, acct, { includeHistory: true });
    await server.restart();
    expect(server.stderr()).toContain("SIGTERM: shutting down");
    expect(await getSettings(server, acct, { includeHistory: true, token: owner.key })).toEqual(before);
    // The entity_tag read before the restart is still current.
    const again = await putSettings(server, acct, { max_sessions_per_identity: "8" }, { token: owner.key, ifMatch: before.entity_tag });
    expect(again.status).toBe(200);
  });
});
