// The concurrent limit under a burst: 200 parallel logins of one identity, spread over TWO API processes sharing
// one SQLite file (so the count-and-evict must be one transaction across processes, not just one event loop).
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, createAccount, createIdentity, putSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliLogin, createIdentityKey } from "../helpers/session-server.ts";

let one: ApiServer;
let two: ApiServer;
beforeAll(async () => {
  one = await startApiServer();
  two = await startApiServer({ dbPath: one.dbPath, adminToken: one.adminToken });
});
afterAll(async () => {
  await two?.stop();
  await one?.dispose();
});

async function burst(action: string) {
  const { account_id } = await createAccount(one);
  expect((await putSettings(one, account_id, { max_sessions_per_identity: "3", max_sessions_exceeded_action: action })).status).toBe(200);
  const { iam_id } = await createIdentity(one);
  await addMember(one, account_id, iam_id);
  const { key } = await createIdentityKey(one, iam_id);
  const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => cliLogin(i % 2 ? two : one, account_id, key)));
  const db = new Database(one.dbPath, { readonly: true });
  try {
    const rows = db.prepare("SELECT session_id, end_reason, ended_by FROM sessions WHERE iam_id = ?").all(iam_id) as Array<{
      session_id: string;
      end_reason: string | null;
      ended_by: string | null;
    }>;
    return { answers, rows };
  } finally {
    db.close();
  }
}

describe("200 parallel logins, limit 3, two processes", () => {
  it("END_OLDEST: all succeed, exactly 3 stay active, every other one was evicted by a named later session", async () => {
    const { answers, rows } = await burst("END_OLDEST");
    expect(answers.map((a) => a.status).filter((s) => s !== 201)).toEqual([]);
    const active = rows.filter((r) => r.end_reason === null);
    expect(active).toHaveLength(3);
    const ids = new Set(rows.map((r) => r.session_id));
    const evicted = rows.filter((r) => r.end_reason !== null);
    expect(evicted).toHaveLength(197);
    for (const r of evicted) {
      expect(r.end_reason).toBe("evicted_by_limit");
      expect(ids.has(r.ended_by!)).toBe(true);
    }
  });

  it("DENY_NEW: exactly 3 succeed, the other 197 get session_limit_reached", async () => {
    const { answers, rows } = await burst("DENY_NEW");
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(197);
    for (const a of answers.filter((x) => x.status === 409)) expect(a.body.errors[0].code).toBe("session_limit_reached");
    expect(rows.filter((r) => r.end_reason === null)).toHaveLength(3);
    expect(rows).toHaveLength(3);
  });
});
