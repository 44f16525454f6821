// Bounded answers (issue #12): the settings history, trusted profiles and members are read a page at a time
// (limit + opaque cursor, documented maxima); include_history=true carries only the newest entries.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_LIMITS, MAX_EMBEDDED_HISTORY } from "../../api/pagination.ts";
import {
  addMember,
  apiRequest,
  createAccount,
  createAccountWithKeys,
  createIdentity,
  createTrustedProfile,
  getSettings,
  historyOf,
  putSettings,
  startApiServer,
  trustedProfilesPath,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

const get = (path: string, token = server.adminToken) => apiRequest(server, "GET", path, { token });
const historyPath = (acct: string, q = "") => `/v1/accounts/${acct}/settings/identity/history${q}`;

async function writeSettings(acct: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await putSettings(server, acct, { session_expiration_in_seconds: String(1000 + i) });
    expect(res.status).toBe(200);
  }
}

/** Every page of a list, following next_cursor. */
async function pages(path: string, field: string, limit: number): Promise<unknown[][]> {
  const out: unknown[][] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    expect(res.status, res.text).toBe(200);
    expect(res.body[field].length).toBeLessThanOrEqual(limit);
    out.push(res.body[field]);
    cursor = res.body.next_cursor;
  } while (cursor);
  return out;
}

describe("settings history", () => {
  it("pages newest first; every entry exactly once; the last page has next_cursor null", async () => {
    const acct = (await createAccount(server)).account_id;
    await writeSettings(acct, 7);
    const all = await pages(historyPath(acct), "history", 3);
    expect(all.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(all.flat().map((h) => (h as { version: number }).version)).toEqual([8, 7, 6, 5, 4, 3, 2]);
    // Default page size.
    expect((await get(historyPath(acct))).body.history).toHaveLength(7);
    expect(await historyOf(server, acct, { limit: 2 })).toHaveLength(7);
  });

  it("include_history=true carries the newest entries only, oldest first, and the cursor of the rest", async () => {
    const acct = (await createAccount(server)).account_id;
    await writeSettings(acct, MAX_EMBEDDED_HISTORY + 5);
    const s = await getSettings(server, acct, { includeHistory: true });
    expect(s.history).toHaveLength(MAX_EMBEDDED_HISTORY);
    expect(s.history!.map((h) => h.version)).toEqual(Array.from({ length: MAX_EMBEDDED_HISTORY }, (_, i) => i + 7));
    const rest = await get(historyPath(acct, `?cursor=${(s as unknown as { history_next_cursor: string }).history_next_cursor}`));
    expect(rest.body.history.map((h: { version: number }) => h.version)).toEqual([6, 5, 4, 3, 2]);
    expect(rest.body.next_cursor).toBeNull();
    // A short history: all of it, and no cursor.
    const small = (await createAccount(server)).account_id;
    await writeSettings(small, 2);
    const t = (await get(`/v1/accounts/${small}/settings/identity?include_history=true`)).body;
    expect(t.history).toHaveLength(2);
    expect(t.history_next_cursor).toBeNull();
  });

  it("refuses a limit out of range and a cursor outside the list's documented syntax, naming the parameter", async () => {
    const acct = (await createAccount(server)).account_id;
    for (const limit of ["0", String(PAGE_LIMITS.history.max + 1), "abc", "-1", "1.5"]) {
      const res = await get(historyPath(acct, `?limit=${limit}`));
      expect(res.status, limit).toBe(400);
      expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "limit" });
      expect(res.body.errors[0].message).toContain(`1 to ${PAGE_LIMITS.history.max}`);
    }
    // The history's cursor is a version number: the document says so, and nothing else is taken.
    for (const cursor of ["garbage", "0", "-3", "01", "1.5", "9".repeat(16)]) {
      const res = await get(historyPath(acct, `?cursor=${cursor}`));
      expect(res.status, cursor).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ target: { type: "parameter", name: "cursor" } });
    }
    // Any cursor of that syntax is a position: the page after the newest version is all the older ones.
    await writeSettings(acct, 3);
    const versions = (res: { body: { history: Array<{ version: number }> } }) => res.body.history.map((e) => e.version);
    const all = versions(await get(historyPath(acct)));
    expect(all.length).toBeGreaterThanOrEqual(3);
    const older = await get(historyPath(acct, `?cursor=${all[0]}`));
    expect(older.status).toBe(200);
    expect(versions(older)).toEqual(all.slice(1));
  });

  it("another tenant gets 404 for the history, with or without a cursor", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    await writeSettings(a.account.account_id, 3);
    const page = await get(historyPath(a.account.account_id, "?limit=1"), a.keys.viewer);
    expect(page.status).toBe(200);
    expect((await get(historyPath(a.account.account_id), b.keys.owner)).status).toBe(404);
    expect((await get(historyPath(a.account.account_id, `?cursor=${page.body.next_cursor}`), b.keys.owner)).status).toBe(404);
  });
});

describe("trusted profiles and members", () => {
  it("trusted profiles page oldest first, each once", async () => {
    const acct = (await createAccount(server)).account_id;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await createTrustedProfile(server, acct, { name: `p${i}` })).profile_id);
    const all = await pages(trustedProfilesPath(acct), "trusted_profiles", 2);
    expect(all.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(all.flat().map((p) => (p as { profile_id: string }).profile_id)).toEqual(created);
    const whole = await get(trustedProfilesPath(acct));
    expect(whole.body.trusted_profiles).toHaveLength(5);
    expect(whole.body.next_cursor).toBeNull();
    expect((await get(`${trustedProfilesPath(acct)}?limit=${PAGE_LIMITS.trustedProfiles.max + 1}`)).status).toBe(400);
  });

  it("members page by iam_id, each once", async () => {
    const acct = (await createAccount(server)).account_id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const identity = await createIdentity(server);
      await addMember(server, acct, identity.iam_id);
      ids.push(identity.iam_id);
    }
    const all = await pages(`/v1/accounts/${acct}/members`, "members", 2);
    expect(all.map((p) => p.length)).toEqual([2, 2, 1]);
    expect(all.flat().map((m) => (m as { iam_id: string }).iam_id)).toEqual([...ids].sort());
  });
});
