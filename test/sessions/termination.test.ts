// How sessions end and what their holders are told: listing and ending by the identity, by an account's
// administrators and by the platform administrator (and by nobody else), a password change, a membership removal,
// a key revocation, the exact Set-Cookie after a timeout and an administrator's termination, and tokens, keys and
// passwords appearing in no table, log line or error.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, apiRequest, createAccount, createAccountWithKeys, createIdentity, removeMember } from "../helpers/api-server.ts";
import { cliLogin, consoleLogin, cookieValue, createIdentityKey, setPassword, startInProcessServer, validate, type InProcessServer } from "../helpers/session-server.ts";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
});
afterAll(async () => {
  await server?.dispose();
});

const PASSWORD = "a long enough password";
const CLEARING = "__Host-iamsession=; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT";
/** Every secret the tests handle, to look for afterwards. */
const secrets: string[] = [PASSWORD];

async function member(accountId: string) {
  const { iam_id } = await createIdentity(server);
  await addMember(server, accountId, iam_id);
  await setPassword(server, iam_id, PASSWORD);
  const { key, id } = await createIdentityKey(server, iam_id);
  secrets.push(key);
  return { iamId: iam_id, key, keyId: id };
}

async function cli(accountId: string, key: string) {
  const res = await cliLogin(server, accountId, key, { "user-agent": "iamsession-test/1.0" });
  expect(res.status, res.text).toBe(201);
  secrets.push(res.body.token);
  return { token: res.body.token as string, id: res.body.session.session_id as string };
}

async function browser(accountId: string, iamId: string) {
  const res = await consoleLogin(server, accountId, iamId, PASSWORD);
  expect(res.status, res.text).toBe(201);
  const value = cookieValue(res.headers.get("set-cookie"));
  secrets.push(value);
  return { cookie: `__Host-iamsession=${value}`, id: res.body.session.session_id as string };
}

const enc = encodeURIComponent;

describe("the identity's own sessions", () => {
  it("lists active and recently ended ones with reason, channel, times, client and user agent; ends one and all but the current", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const [s1, s2, s3] = [await cli(account_id, u.key), await cli(account_id, u.key), await cli(account_id, u.key)];
    const path = `/v1/identities/${enc(u.iamId)}/sessions`;
    expect((await apiRequest(server, "DELETE", `${path}/${s2.id}`, { token: s1.token })).status).toBe(204);
    const list = await apiRequest(server, "GET", path, { token: s1.token });
    expect(list.status).toBe(200);
    const byId = Object.fromEntries(list.body.sessions.map((s: any) => [s.session_id, s]));
    expect(byId[s1.id]).toMatchObject({ state: "active", current: true, channel: "cli", client_address: "127.0.0.1", user_agent: "iamsession-test/1.0" });
    expect(byId[s1.id].expires_at).toEqual(expect.any(String));
    expect(byId[s2.id]).toMatchObject({ state: "ended", end_reason: "ended_by_self", ended_by: u.iamId, current: false, expires_at: null });
    const all = await apiRequest(server, "DELETE", path, { token: s1.token });
    expect(all.body.ended).toEqual([s3.id]);
    await validate(server, s1.token).then((r) => expect(r.status).toBe(200));
    const again = await validate(server, s3.token);
    expect(again.body.errors[0].code).toBe("ended_by_self");
  });

  it("another identity, even a member of the same account, sees none of them (404)", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const other = await member(account_id);
    const s = await cli(account_id, u.key);
    const o = await cli(account_id, other.key);
    const path = `/v1/identities/${enc(u.iamId)}/sessions`;
    expect((await apiRequest(server, "GET", path, { token: o.token })).status).toBe(404);
    expect((await apiRequest(server, "DELETE", `${path}/${s.id}`, { token: o.token })).status).toBe(404);
    expect((await apiRequest(server, "DELETE", `/v1/identities/${enc(other.iamId)}/sessions/${s.id}`, { token: o.token })).status).toBe(404);
    expect((await validate(server, s.token)).status).toBe(200);
  });
});

describe("administrators", () => {
  it("an account's owner and administrator list and end its sessions; the next use of the cookie gets 401 ended_by_admin and the clearing cookie", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const a = account.account_id;
    const u = await member(a);
    const b = await browser(a, u.iamId);
    const list = await apiRequest(server, "GET", `/v1/accounts/${a}/sessions`, { token: keys.administrator });
    expect(list.body.sessions.map((s: any) => s.session_id)).toEqual([b.id]);
    for (const role of ["viewer", "editor"] as const) {
      expect((await apiRequest(server, "GET", `/v1/accounts/${a}/sessions`, { token: keys[role] })).status).toBe(403);
    }
    expect((await apiRequest(server, "DELETE", `/v1/accounts/${a}/sessions/${b.id}`, { token: keys.owner })).status).toBe(204);
    const next = await apiRequest(server, "GET", "/v1/session", { headers: { cookie: b.cookie } });
    expect(next.status).toBe(401);
    expect(next.body.errors[0]).toMatchObject({ code: "ended_by_admin" });
    expect(next.headers.get("set-cookie")).toBe(CLEARING);
  });

  it("another account's owner sees nothing of them (404), the platform administrator sees and ends everything", async () => {
    const mine = await createAccountWithKeys(server);
    const theirs = await createAccountWithKeys(server);
    const u = await member(mine.account.account_id);
    const s = await cli(mine.account.account_id, u.key);
    const p = `/v1/accounts/${mine.account.account_id}/sessions`;
    expect((await apiRequest(server, "GET", p, { token: theirs.keys.owner })).status).toBe(404);
    expect((await apiRequest(server, "DELETE", `/v1/accounts/${theirs.account.account_id}/sessions/${s.id}`, { token: theirs.keys.owner })).status).toBe(404);
    expect((await apiRequest(server, "GET", `/v1/identities/${enc(u.iamId)}/sessions`, { token: theirs.keys.owner })).status).toBe(404);
    expect((await validate(server, s.token)).status).toBe(200);
    const all = await apiRequest(server, "DELETE", `/v1/identities/${enc(u.iamId)}/sessions`, { token: server.adminToken });
    expect(all.body.ended).toEqual([s.id]);
    expect((await validate(server, s.token)).body.errors[0].code).toBe("ended_by_admin");
  });
});

describe("ends caused by other changes", () => {
  it("a timeout: the next use of the cookie gets 401 idle_timeout and the clearing cookie", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const b = await browser(account_id, u.iamId);
    server.clock.advance(7200 + 60);
    const next = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { headers: { cookie: b.cookie } });
    expect(next.status).toBe(401);
    expect(next.body.errors[0].code).toBe("idle_timeout");
    expect(next.headers.get("set-cookie")).toBe(CLEARING);
  });

  it("a password change by the identity ends its other sessions (credential_changed) and keeps the current one", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const current = await cli(account_id, u.key);
    const other = await browser(account_id, u.iamId);
    const wrong = await apiRequest(server, "PUT", `/v1/identities/${enc(u.iamId)}/password`, { token: current.token, json: { password: "a brand new password", current_password: "not it at all" } });
    expect(wrong.status).toBe(403);
    const res = await apiRequest(server, "PUT", `/v1/identities/${enc(u.iamId)}/password`, { token: current.token, json: { password: "a brand new password", current_password: PASSWORD } });
    secrets.push("a brand new password");
    expect(res.status, res.text).toBe(204);
    expect((await validate(server, current.token)).status).toBe(200);
    const o = await apiRequest(server, "GET", "/v1/session", { headers: { cookie: other.cookie } });
    expect(o.body.errors[0].code).toBe("credential_changed");
    expect((await consoleLogin(server, account_id, u.iamId, PASSWORD)).status).toBe(401);
    expect((await consoleLogin(server, account_id, u.iamId, "a brand new password")).status).toBe(201);
  });

  it("a cookie read sent from another site is refused before the session is touched (it cannot keep it alive)", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const b = await browser(account_id, u.iamId);
    const lastAccess = () => (server.db.prepare("SELECT last_access_at FROM sessions WHERE session_id = ?").get(b.id) as { last_access_at: number }).last_access_at;
    const before = lastAccess();
    server.clock.advance(120); // past the write interval: an accepted read would record the access
    for (const site of ["cross-site", "same-site"]) {
      const res = await apiRequest(server, "GET", "/v1/session", { headers: { cookie: b.cookie, "sec-fetch-site": site } });
      expect(res.status, site).toBe(403);
    }
    expect(lastAccess()).toBe(before);
    // The console's own pages (same-origin) and a typed address (none) are served; so is a client without the header.
    for (const headers of [{ "sec-fetch-site": "same-origin" }, { "sec-fetch-site": "none" }, {}] as Record<string, string>[]) {
      expect((await apiRequest(server, "GET", "/v1/session", { headers: { cookie: b.cookie, ...headers } })).status).toBe(200);
    }
    expect(lastAccess()).toBeGreaterThan(before);
  });

  it("removing a membership ends the identity's sessions in that account only", async () => {
    const a = (await createAccount(server)).account_id;
    const b = (await createAccount(server)).account_id;
    const u = await member(a);
    await addMember(server, b, u.iamId);
    const inA = await cli(a, u.key);
    const inB = await cli(b, u.key);
    await removeMember(server, a, u.iamId);
    expect((await validate(server, inA.token)).body.errors[0].code).toBe("membership_removed");
    expect((await validate(server, inB.token)).status).toBe(200);
  });

  it("revoking an identity API key ends the CLI sessions made with it (key_revoked) and its access tokens", async () => {
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    server.clock.advance(1); // keys list oldest first
    const second = await createIdentityKey(server, u.iamId);
    secrets.push(second.key);
    const withFirst = await cli(account_id, u.key);
    const withSecond = await cli(account_id, second.key);
    const token = await apiRequest(server, "POST", "/v1/tokens", { json: { account_id, api_key: u.key } });
    secrets.push(token.body.token);
    expect((await apiRequest(server, "DELETE", `/v1/identities/${enc(u.iamId)}/api_keys/${u.keyId}`, { token: withSecond.token })).status).toBe(204);
    expect((await validate(server, withFirst.token)).body.errors[0].code).toBe("key_revoked");
    expect((await validate(server, withSecond.token)).status).toBe(200);
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: token.body.token })).status).toBe(401);
    const keys = await apiRequest(server, "GET", `/v1/identities/${enc(u.iamId)}/api_keys`, { token: withSecond.token });
    expect(keys.body.api_keys.map((k: any) => [k.id, k.revoked_at !== null])).toEqual([[u.keyId, true], [second.id, false]]);
    expect(keys.text).not.toContain(second.key);
  });
});

describe("secrets", () => {
  it("no token, key or password appears in any table, the database files, a log line or an error", async () => {
    // Errors that involve a secret: a wrong password, a wrong key, an ended token.
    const { account_id } = await createAccount(server);
    const u = await member(account_id);
    const s = await cli(account_id, u.key);
    await apiRequest(server, "DELETE", "/v1/session", { token: s.token });
    const errors = [
      await consoleLogin(server, account_id, u.iamId, `${PASSWORD}!`),
      await cliLogin(server, account_id, `${u.key}x`),
      await validate(server, s.token),
    ].map((r) => r.text);
    const tables = (server.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
    const dump = tables.map((t) => JSON.stringify(server.db.prepare(`SELECT * FROM "${t}"`).all(), (_k, v) => (Buffer.isBuffer(v) ? v.toString("latin1") : v))).join("\n");
    server.db.pragma("wal_checkpoint(FULL)");
    const files = [server.dbPath, `${server.dbPath}-wal`].map((f) => {
      try {
        return readFileSync(f).toString("latin1");
      } catch {
        return "";
      }
    });
    const haystacks = { tables: dump, log: server.logLines.join("\n"), errors: errors.join("\n"), file: files.join("") };
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(haystacks)) expect(text.includes(secret), `${where} holds a secret`).toBe(false);
    }
  });
});
