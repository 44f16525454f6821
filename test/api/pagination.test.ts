// Bounded answers (issue #12): every list — the settings history, trusted profiles, members, API keys (account,
// enterprise, platform), invitations (account, identity), sessions (identity, account) and identity API keys — is
// read a page at a time (limit + opaque cursor, documented maxima); include_history=true carries only the newest
// entries. Each list: the pages hold every entry exactly once, in its stated order; the limit's bounds are 400 naming
// the parameter; another tenant gets 404 with or without a cursor.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PAGE_LIMITS, MAX_EMBEDDED_HISTORY } from "../../api/pagination.ts";
import {
  addMember,
  apiRequest,
  createAccount,
  createAccountWithKeys,
  createApiKey,
  createEnterpriseWithKeys,
  createEnterpriseKey,
  createIdentity,
  memberPath,
  createTrustedProfile,
  getSettings,
  historyOf,
  putSettings,
  startApiServer,
  trustedProfilesPath,
  type ApiResponse,
  type ApiServer,
} from "../helpers/api-server.ts";
import { Store } from "../../api/db/store.ts";
import { createPlatformAdminKey } from "../../api/bootstrap.ts";
import { cliLogin, createIdentityKey, startInProcessServer, type InProcessServer } from "../helpers/session-server.ts";

let server: ApiServer;
/** Its clock stands still unless a test moves it: sessions and identity keys created together tie on created_at. */
let inProcess: InProcessServer;
beforeAll(async () => {
  [server, inProcess] = await Promise.all([startApiServer(), startInProcessServer()]);
});
afterAll(async () => {
  await server?.dispose();
  await inProcess?.dispose();
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
async function pages(path: string, field: string, limit: number, token = server.adminToken, target: ApiServer = server): Promise<unknown[][]> {
  const out: unknown[][] = [];
  let cursor: string | null = null;
  do {
    const res: ApiResponse = await apiRequest(target, "GET", `${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { token });
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

type Row = Record<string, unknown>;

/** The list read whole in one page of the maximum size (the test lists are far smaller). */
async function whole(path: string, field: string, max: number, token = server.adminToken, target: ApiServer = server): Promise<Row[]> {
  const res = await apiRequest(target, "GET", `${path}?limit=${max}`, { token });
  expect(res.status, res.text).toBe(200);
  expect(res.body.next_cursor).toBeNull();
  return res.body[field];
}

/** Pages of `limit` hold every entry of the whole list exactly once, in the same order, and that order is `ordered`. */
async function expectPagesCoverAll(
  list: { path: string; field: string; max: number; id: string; token?: string; target?: ApiServer },
  limit: number,
  ordered: (a: Row, b: Row) => number,
): Promise<string[]> {
  const token = list.token ?? (list.target ?? server).adminToken;
  const all = await whole(list.path, list.field, list.max, token, list.target);
  const paged = await pages(list.path, list.field, limit, token, list.target);
  expect(paged.length).toBe(Math.max(1, Math.ceil(all.length / limit)));
  const ids = (rows: unknown[]) => rows.map((r) => (r as Row)[list.id] as string);
  expect(ids(paged.flat())).toEqual(ids(all));
  expect(new Set(ids(all)).size).toBe(all.length);
  expect(ids([...all].sort(ordered))).toEqual(ids(all));
  return ids(all);
}

/** limit 0 and max + 1 are 400 naming `limit` with its range; a cursor of another syntax is 400 naming `cursor`. */
async function expectLimitBounds(path: string, max: number, token: string, target: ApiServer = server): Promise<void> {
  for (const limit of ["0", String(max + 1)]) {
    const res = await apiRequest(target, "GET", `${path}?limit=${limit}`, { token });
    expect(res.status, `${path} limit=${limit}`).toBe(400);
    expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "limit" });
    expect(res.body.errors[0].message).toContain(`1 to ${max}`);
  }
  const res = await apiRequest(target, "GET", `${path}?cursor=not!a!cursor`, { token });
  expect(res.status).toBe(400);
  expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "cursor" });
}

/** Another tenant's key gets 404 for the list, without a cursor and with one of the list's own. */
async function expectHidden(path: string, cursor: string, token: string, target: ApiServer = server): Promise<void> {
  expect(cursor).toEqual(expect.any(String));
  const plain = await apiRequest(target, "GET", path, { token });
  expect(plain.status, plain.text).toBe(404);
  const paged = await apiRequest(target, "GET", `${path}?limit=1&cursor=${cursor}`, { token });
  expect(paged.status, paged.text).toBe(404);
  expect(JSON.stringify(paged.body)).not.toContain(cursor);
}

/** The next_cursor of the first one-entry page. */
async function firstCursor(path: string, token: string, target: ApiServer = server): Promise<string> {
  const res = await apiRequest(target, "GET", `${path}?limit=1`, { token });
  expect(res.status, res.text).toBe(200);
  return res.body.next_cursor;
}

const byCreation = (idField: string) => (a: Row, b: Row) =>
  String(a.created_at).localeCompare(String(b.created_at)) || String(a[idField]).localeCompare(String(b[idField]));

describe("API keys", () => {
  it("an account's keys page oldest first (created_at, then id), each once; another tenant gets 404", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    const acct = a.account.account_id;
    for (let i = 0; i < 3; i++) await createApiKey(server, acct, "viewer", { name: `extra ${i}` });
    const list = { path: `/v1/accounts/${acct}/api_keys`, field: "api_keys", max: PAGE_LIMITS.apiKeys.max, id: "id", token: a.keys.owner };
    const ids = await expectPagesCoverAll(list, 2, byCreation("id"));
    expect(ids).toHaveLength(7);
    // Without limit nor cursor: the first (here the only) page, as before pagination.
    const plain = await get(list.path, a.keys.owner);
    expect(plain.body.api_keys.map((k: Row) => k.id)).toEqual(ids);
    expect(plain.body.next_cursor).toBeNull();
    await expectLimitBounds(list.path, PAGE_LIMITS.apiKeys.max, a.keys.owner);
    await expectHidden(list.path, await firstCursor(list.path, a.keys.owner), b.keys.owner);
  });

  it("an enterprise's keys and the platform's keys page the same way", async () => {
    const e = await createEnterpriseWithKeys(server);
    const f = await createEnterpriseWithKeys(server);
    const ent = e.enterprise.enterprise_id;
    await createEnterpriseKey(server, ent, "editor");
    const list = { path: `/v1/enterprises/${ent}/api_keys`, field: "api_keys", max: PAGE_LIMITS.apiKeys.max, id: "id", token: e.keys.owner };
    expect(await expectPagesCoverAll(list, 2, byCreation("id"))).toHaveLength(5);
    await expectLimitBounds(list.path, PAGE_LIMITS.apiKeys.max, e.keys.owner);
    await expectHidden(list.path, await firstCursor(list.path, e.keys.owner), f.keys.owner);

    // The platform's keys: a second and a third administrator key (made as `npm run admin` makes them).
    const platformStore = new Store(inProcess.db);
    const made = [createPlatformAdminKey(platformStore, "second").record.id, createPlatformAdminKey(platformStore, "third").record.id];
    const platform = { path: "/v1/platform/api_keys", field: "api_keys", max: PAGE_LIMITS.apiKeys.max, id: "id", target: inProcess };
    const ids = await expectPagesCoverAll(platform, 1, byCreation("id"));
    expect(ids).toHaveLength(3);
    expect(ids.slice(1).sort()).toEqual([...made].sort());
    await expectLimitBounds(platform.path, PAGE_LIMITS.apiKeys.max, inProcess.adminToken, inProcess);
    // Not a tenant's list at all: an account owner is refused (403, as without pagination), with or without a cursor.
    const cursor = await firstCursor(platform.path, inProcess.adminToken, inProcess);
    const owner = (await createAccountWithKeys(inProcess)).keys.owner;
    expect((await apiRequest(inProcess, "GET", platform.path, { token: owner })).status).toBe(403);
    expect((await apiRequest(inProcess, "GET", `${platform.path}?cursor=${cursor}`, { token: owner })).status).toBe(403);
  });
});

describe("invitations", () => {
  it("an account's invitations page oldest first (created_at, then invitation_id); another tenant gets 404", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    const acct = a.account.account_id;
    for (let i = 0; i < 5; i++) {
      const { iam_id } = await createIdentity(server);
      const res = await apiRequest(server, "PUT", memberPath(acct, iam_id), { token: a.keys.administrator });
      expect(res.status, res.text).toBe(202);
    }
    const list = { path: `/v1/accounts/${acct}/invitations`, field: "invitations", max: PAGE_LIMITS.invitations.max, id: "invitation_id", token: a.keys.viewer };
    expect(await expectPagesCoverAll(list, 2, byCreation("invitation_id"))).toHaveLength(5);
    await expectLimitBounds(list.path, PAGE_LIMITS.invitations.max, a.keys.viewer);
    await expectHidden(list.path, await firstCursor(list.path, a.keys.viewer), b.keys.owner);
  });

  it("an identity's invitations page the same way; another account's key gets 404", async () => {
    const { iam_id } = await createIdentity(server);
    const inviters = [];
    for (let i = 0; i < 3; i++) {
      const a = await createAccountWithKeys(server);
      inviters.push(a);
      const res = await apiRequest(server, "PUT", memberPath(a.account.account_id, iam_id), { token: a.keys.owner });
      expect(res.status, res.text).toBe(202);
    }
    const list = { path: `/v1/identities/${iam_id}/invitations`, field: "invitations", max: PAGE_LIMITS.invitations.max, id: "invitation_id" };
    const ids = await expectPagesCoverAll(list, 1, byCreation("invitation_id"));
    expect(ids).toHaveLength(3);
    await expectLimitBounds(list.path, PAGE_LIMITS.invitations.max, server.adminToken);
    // Even an account that invited the identity does not read the identity's side.
    await expectHidden(list.path, await firstCursor(list.path, server.adminToken), inviters[0]!.keys.owner);
  });
});

describe("sessions and identity API keys", () => {
  const newest = (a: Row, b: Row) =>
    String(b.created_at).localeCompare(String(a.created_at)) || String(b.session_id).localeCompare(String(a.session_id));

  /** An identity in a new account with an identity key, and `n` CLI sessions made at the clock's current time. */
  async function withSessions(n: number) {
    const acct = await createAccountWithKeys(inProcess);
    const { iam_id } = await createIdentity(inProcess);
    await addMember(inProcess, acct.account.account_id, iam_id);
    const { key } = await createIdentityKey(inProcess, iam_id);
    const tokens: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await cliLogin(inProcess, acct.account.account_id, key);
      expect(res.status, res.text).toBe(201);
      tokens.push(res.body.token);
    }
    return { acct, iamId: iam_id, key, tokens };
  }

  it("an identity's sessions page newest first (created_at, then session_id, descending), ties included; others get 404", async () => {
    const u = await withSessions(3); // three sessions at the same millisecond: only session_id orders them
    inProcess.clock.advance(5);
    for (let i = 0; i < 2; i++) expect((await cliLogin(inProcess, u.acct.account.account_id, u.key)).status).toBe(201);
    const list = { path: `/v1/identities/${u.iamId}/sessions`, field: "sessions", max: PAGE_LIMITS.sessions.max, id: "session_id", token: u.tokens[0], target: inProcess };
    const ids = await expectPagesCoverAll(list, 2, newest);
    expect(ids).toHaveLength(5);
    for (const limit of [1, 3, 4]) expect((await pages(list.path, "sessions", limit, u.tokens[0], inProcess)).flat().map((r) => (r as Row).session_id)).toEqual(ids);
    await expectLimitBounds(list.path, PAGE_LIMITS.sessions.max, u.tokens[0]!, inProcess);
    const other = await withSessions(1);
    const cursor = await firstCursor(list.path, u.tokens[0]!, inProcess);
    await expectHidden(list.path, cursor, other.tokens[0]!, inProcess);
    await expectHidden(list.path, cursor, other.acct.keys.owner, inProcess);
  });

  it("an account's sessions page the same way; another account's owner gets 404", async () => {
    const u = await withSessions(2);
    const { iam_id } = await createIdentity(inProcess);
    await addMember(inProcess, u.acct.account.account_id, iam_id);
    const { key } = await createIdentityKey(inProcess, iam_id);
    for (let i = 0; i < 3; i++) expect((await cliLogin(inProcess, u.acct.account.account_id, key)).status).toBe(201);
    const path = `/v1/accounts/${u.acct.account.account_id}/sessions`;
    const list = { path, field: "sessions", max: PAGE_LIMITS.sessions.max, id: "session_id", token: u.acct.keys.owner, target: inProcess };
    expect(await expectPagesCoverAll(list, 2, newest)).toHaveLength(5);
    await expectLimitBounds(path, PAGE_LIMITS.sessions.max, u.acct.keys.owner, inProcess);
    const other = await createAccountWithKeys(inProcess);
    await expectHidden(path, await firstCursor(path, u.acct.keys.owner, inProcess), other.keys.owner, inProcess);
  });

  it("an identity's API keys page oldest first (created_at, then id), revoked ones included; others get 404", async () => {
    const u = await withSessions(1);
    for (let i = 0; i < 3; i++) await createIdentityKey(inProcess, u.iamId); // same millisecond as the first
    inProcess.clock.advance(1);
    const last = await createIdentityKey(inProcess, u.iamId);
    expect((await apiRequest(inProcess, "DELETE", `/v1/identities/${u.iamId}/api_keys/${last.id}`, { token: inProcess.adminToken })).status).toBe(204);
    const list = { path: `/v1/identities/${u.iamId}/api_keys`, field: "api_keys", max: PAGE_LIMITS.identityApiKeys.max, id: "id", token: u.tokens[0], target: inProcess };
    const ids = await expectPagesCoverAll(list, 2, byCreation("id"));
    expect(ids).toHaveLength(5);
    expect(ids.at(-1)).toBe(last.id);
    await expectLimitBounds(list.path, PAGE_LIMITS.identityApiKeys.max, u.tokens[0]!, inProcess);
    const other = await withSessions(1);
    await expectHidden(list.path, await firstCursor(list.path, u.tokens[0]!, inProcess), other.tokens[0]!, inProcess);
  });
});
