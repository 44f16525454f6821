// API key lifecycle (issue #11) on a real server and SQLite file: list without secrets, created_by, last_used_at,
// revoke -> 401 on the very next request, expiry, platform keys, and keys minted by an enterprise's keys revoked
// when the account leaves the enterprise.
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiRequest,
  createAccount,
  createApiKey,
  createEnterpriseKey,
  createEnterprise,
  getSettings,
  linkAccount,
  startApiServer,
  unlinkAccount,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

const keysPath = (accountId: string) => `/v1/accounts/${accountId}/api_keys`;

describe("account keys", () => {
  it("lists keys without secrets, with created_by and last_used_at; only the owner may", async () => {
    const { account_id } = await createAccount(server);
    const owner = await createApiKey(server, account_id, "owner");
    const viewer = await createApiKey(server, account_id, "viewer", { token: owner.key, name: "ci reader" });
    expect(viewer).toMatchObject({ created_by: owner.id, expires_at: null });

    let list = await apiRequest(server, "GET", keysPath(account_id), { token: owner.key });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(owner.key);
    expect(list.text).not.toContain(viewer.key);
    const byId = Object.fromEntries(list.body.api_keys.map((k: { id: string }) => [k.id, k]));
    expect(Object.keys(byId[viewer.id])).toEqual(["id", "name", "role", "account_id", "enterprise_id", "created_at", "created_by", "expires_at", "last_used_at"]);
    expect(byId[viewer.id]).toMatchObject({ name: "ci reader", role: "viewer", account_id, created_by: owner.id, last_used_at: null });
    expect(byId[owner.id].created_by).toMatch(/^ApiKey-/); // the platform administrator's key made it
    expect(byId[owner.id].last_used_at).not.toBeNull(); // it just listed

    await getSettings(server, account_id, { token: viewer.key });
    list = await apiRequest(server, "GET", keysPath(account_id), { token: owner.key });
    const used = list.body.api_keys.find((k: { id: string }) => k.id === viewer.id);
    expect(Date.parse(used.last_used_at)).toBeGreaterThan(Date.now() - 60_000);

    for (const role of ["viewer", "editor", "administrator"] as const) {
      const k = await createApiKey(server, account_id, role);
      expect((await apiRequest(server, "GET", keysPath(account_id), { token: k.key })).status).toBe(403);
      expect((await apiRequest(server, "DELETE", `${keysPath(account_id)}/${viewer.id}`, { token: k.key })).status).toBe(403);
    }
  });

  it("revoke: the key's very next request gets 401, the list no longer shows it, a second revoke is 404", async () => {
    const { account_id } = await createAccount(server);
    const owner = await createApiKey(server, account_id, "owner");
    const editor = await createApiKey(server, account_id, "editor");
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: editor.key })).status).toBe(200);
    expect((await apiRequest(server, "DELETE", `${keysPath(account_id)}/${editor.id}`, { token: owner.key })).status).toBe(204);
    const next = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: editor.key });
    expect(next.status).toBe(401);
    expect(next.body.errors[0].code).toBe("revoked_token");
    const list = await apiRequest(server, "GET", keysPath(account_id), { token: owner.key });
    expect(list.body.api_keys.map((k: { id: string }) => k.id)).not.toContain(editor.id);
    expect((await apiRequest(server, "DELETE", `${keysPath(account_id)}/${editor.id}`, { token: owner.key })).status).toBe(404);
  });

  it("another account's key id is 404 under this account (and that key keeps working)", async () => {
    const a = await createAccount(server);
    const b = await createAccount(server);
    const ownerA = await createApiKey(server, a.account_id, "owner");
    const keyB = await createApiKey(server, b.account_id, "viewer");
    expect((await apiRequest(server, "DELETE", `${keysPath(a.account_id)}/${keyB.id}`, { token: ownerA.key })).status).toBe(404);
    expect((await apiRequest(server, "DELETE", `${keysPath(b.account_id)}/${keyB.id}`, { token: ownerA.key })).status).toBe(404);
    await getSettings(server, b.account_id, { token: keyB.key });
  });

  it("expiry: a past expires_at is refused; a key past its expiry gets 401 expired_token", async () => {
    const { account_id } = await createAccount(server);
    const past = await apiRequest(server, "POST", keysPath(account_id), {
      token: server.adminToken,
      json: { role: "viewer", expires_at: "2001-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(422);
    expect(past.body.errors[0]).toMatchObject({ code: "expires_at_in_past", target: { type: "field", name: "expires_at" } });
    const bad = await apiRequest(server, "POST", keysPath(account_id), { token: server.adminToken, json: { role: "viewer", expires_at: "tomorrow" } });
    expect(bad.status).toBe(400);

    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const res = await apiRequest(server, "POST", keysPath(account_id), { token: server.adminToken, json: { role: "viewer", expires_at: expiresAt } });
    expect(res.status).toBe(201);
    expect(res.body.expires_at).toBe(expiresAt);
    await getSettings(server, account_id, { token: res.body.key });
    await new Promise((r) => setTimeout(r, 1600));
    const after = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: res.body.key });
    expect(after.status).toBe(401);
    expect(after.body.errors[0].code).toBe("expired_token");
  });
});

describe("enterprise keys", () => {
  it("the enterprise owner lists and revokes its enterprise's keys; other roles 403; the revoked key 401 at once", async () => {
    const { enterprise_id } = await createEnterprise(server);
    const owner = await createEnterpriseKey(server, enterprise_id, "owner");
    const editor = await createEnterpriseKey(server, enterprise_id, "editor", { token: owner.key, name: "ent ci" });
    expect(editor.created_by).toBe(owner.id);
    const path = `/v1/enterprises/${enterprise_id}/api_keys`;
    const list = await apiRequest(server, "GET", path, { token: owner.key });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(editor.key);
    expect(list.body.api_keys.map((k: { id: string }) => k.id)).toEqual([owner.id, editor.id]);
    expect(list.body.api_keys[1]).toMatchObject({ name: "ent ci", role: "editor", account_id: null, enterprise_id, created_by: owner.id });
    expect((await apiRequest(server, "GET", path, { token: editor.key })).status).toBe(403);
    expect((await apiRequest(server, "DELETE", `${path}/${owner.id}`, { token: editor.key })).status).toBe(403);
    expect((await apiRequest(server, "GET", `/v1/enterprises/${enterprise_id}/settings/identity`, { token: editor.key })).status).toBe(200);
    expect((await apiRequest(server, "DELETE", `${path}/${editor.id}`, { token: owner.key })).status).toBe(204);
    expect((await apiRequest(server, "GET", `/v1/enterprises/${enterprise_id}/settings/identity`, { token: editor.key })).status).toBe(401);
  });
});

describe("platform administrator keys", () => {
  it("are listed and revoked at /v1/platform/api_keys; the last active one may not be revoked", async () => {
    const list = await apiRequest(server, "GET", "/v1/platform/api_keys", { token: server.adminToken });
    expect(list.status).toBe(200);
    expect(list.body.api_keys).toHaveLength(1);
    const [admin] = list.body.api_keys;
    expect(admin).toMatchObject({ role: "platform_admin", account_id: null, enterprise_id: null, created_by: null });
    const last = await apiRequest(server, "DELETE", `/v1/platform/api_keys/${admin.id}`, { token: server.adminToken });
    expect(last.status).toBe(409);
    expect(last.body.errors[0].code).toBe("last_platform_key");

    const { account_id } = await createAccount(server);
    const owner = await createApiKey(server, account_id, "owner");
    expect((await apiRequest(server, "GET", "/v1/platform/api_keys", { token: owner.key })).status).toBe(403);
    expect((await apiRequest(server, "DELETE", `/v1/platform/api_keys/${admin.id}`, { token: owner.key })).status).toBe(403);
    // An account key's id is not a platform key.
    expect((await apiRequest(server, "DELETE", `/v1/platform/api_keys/${owner.id}`, { token: server.adminToken })).status).toBe(404);
  });
});

describe("keys minted by an enterprise's keys", () => {
  it("are revoked when the account leaves the enterprise, with every key they minted; others stay", async () => {
    const { enterprise_id } = await createEnterprise(server);
    const { account_id } = await createAccount(server);
    await linkAccount(server, account_id, enterprise_id);
    const entOwner = await createEnterpriseKey(server, enterprise_id, "owner");
    const minted = await createApiKey(server, account_id, "owner", { token: entOwner.key });
    const grandchild = await createApiKey(server, account_id, "editor", { token: minted.key });
    const own = await createApiKey(server, account_id, "owner"); // by the platform administrator
    const ownChild = await createApiKey(server, account_id, "viewer", { token: own.key });
    expect(minted.created_by).toBe(entOwner.id);

    await unlinkAccount(server, account_id, { token: entOwner.key });
    for (const k of [minted, grandchild]) {
      const res = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: k.key });
      expect(res.status).toBe(401);
      expect(res.body.errors[0].code).toBe("revoked_token");
    }
    for (const k of [own, ownChild]) await getSettings(server, account_id, { token: k.key });
    // The enterprise's own key now sees nothing of the account.
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: entOwner.key })).status).toBe(404);

    const db = new Database(server.dbPath, { readonly: true });
    const rows = db.prepare("SELECT id, revoked_by FROM api_keys WHERE account_id = ? AND revoked_at IS NOT NULL ORDER BY id").all(account_id);
    db.close();
    expect(rows).toEqual([minted.id, grandchild.id].sort().map((id) => ({ id, revoked_by: "enterprise_unlinked" })));
  });

  it("are revoked too when the platform administrator moves the account to another enterprise", async () => {
    const e1 = await createEnterprise(server);
    const e2 = await createEnterprise(server);
    const { account_id } = await createAccount(server);
    await linkAccount(server, account_id, e1.enterprise_id);
    const entOwner = await createEnterpriseKey(server, e1.enterprise_id, "owner");
    const minted = await createApiKey(server, account_id, "viewer", { token: entOwner.key });
    await linkAccount(server, account_id, e2.enterprise_id);
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: minted.key })).status).toBe(401);
  });
});
