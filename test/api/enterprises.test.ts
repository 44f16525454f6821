// Enterprises through the API: creation, enterprise settings (same shape, If-Match, history and validation matrix as
// an account's), enterprise keys and their reach over linked accounts, and the account ↔ enterprise link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS, describeValidValues } from "../../schemas/settings.ts";
import {
  accountEnterprisePath,
  apiRequest,
  createAccount,
  createApiKey,
  createAccountWithKeys,
  createEnterprise,
  createEnterpriseKey,
  createEnterpriseWithKeys,
  createIdentity,
  enterpriseSettingsPath,
  getEnterpriseSettings,
  getSettings,
  invalidSettingValues,
  linkAccount,
  memberPath,
  putEnterpriseSettings,
  putSettings,
  settingsPath,
  startApiServer,
  trustedProfilesPath,
  unlinkAccount,
  validSettingValues,
  type ApiServer,
  type Role,
} from "../helpers/api-server.ts";

let server: ApiServer;
let enterpriseId: string;
beforeAll(async () => {
  server = await startApiServer();
  enterpriseId = (await createEnterprise(server)).enterprise_id;
});
afterAll(async () => {
  await server?.dispose();
});
const admin = () => server.adminToken;
const unset = { session_expiration_in_seconds: "NOT_SET", session_invalidation_in_seconds: "NOT_SET", max_sessions_per_identity: "NOT_SET", max_sessions_exceeded_action: "NOT_SET" };

describe("POST /v1/enterprises", () => {
  it("creates an enterprise whose settings are all NOT_SET, in the account shape with enterprise_id", async () => {
    const res = await apiRequest(server, "POST", "/v1/enterprises", { token: admin(), json: { enterprise_id: "acme-group", name: "ACME" } });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({ enterprise_id: "acme-group", name: "ACME", created_at: expect.any(String) });
    expect(await getEnterpriseSettings(server, "acme-group", { includeHistory: true })).toEqual({
      enterprise_id: "acme-group",
      ...unset,
      entity_tag: expect.stringMatching(/^[0-9a-f]{32}$/),
      updated_at: res.body.created_at,
      history: [],
      history_next_cursor: null,
    });
  });

  it("generates 32 hex digits when enterprise_id is omitted; 409 for an existing id; 400 for a bad one", async () => {
    const gen = await apiRequest(server, "POST", "/v1/enterprises", { token: admin(), json: { name: "Generated" } });
    expect(gen.status).toBe(201);
    expect(gen.body.enterprise_id).toMatch(/^[0-9a-f]{32}$/);
    const dup = await apiRequest(server, "POST", "/v1/enterprises", { token: admin(), json: { enterprise_id: enterpriseId, name: "Again" } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ code: "conflict", target: { type: "field", name: "enterprise_id" } });
    for (const json of [{ enterprise_id: "Upper", name: "x" }, { enterprise_id: "ok" }, { enterprise_id: "ok", name: "x", extra: 1 }]) {
      const bad = await apiRequest(server, "POST", "/v1/enterprises", { token: admin(), json });
      expect(bad.status, JSON.stringify(json)).toBe(400);
    }
  });

  it("an enterprise and an account may share an id: they are separate namespaces", async () => {
    await createAccount(server, { accountId: "shared-id" });
    await createEnterprise(server, { enterpriseId: "shared-id" });
    expect((await putEnterpriseSettings(server, "shared-id", { max_sessions_per_identity: "2" })).status).toBe(200);
    expect((await getSettings(server, "shared-id")).max_sessions_per_identity).toBe("NOT_SET");
  });
});

describe("enterprise settings: If-Match, history", () => {
  it("answers 428 without If-Match and 412 for a stale tag, changing nothing", async () => {
    const before = await getEnterpriseSettings(server, enterpriseId, { includeHistory: true });
    const none = await putEnterpriseSettings(server, enterpriseId, { session_expiration_in_seconds: "1200" }, { ifMatch: null });
    expect(none.status).toBe(428);
    expect(none.body.errors[0]).toMatchObject({ code: "precondition_required", target: { type: "header", name: "If-Match" } });
    const ok = await putEnterpriseSettings(server, enterpriseId, { session_expiration_in_seconds: "1300" }, { ifMatch: `"${before.entity_tag}"` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe(`"${ok.body.entity_tag}"`);
    const after = await getEnterpriseSettings(server, enterpriseId, { includeHistory: true });
    const stale = await putEnterpriseSettings(server, enterpriseId, { session_expiration_in_seconds: "1400" }, { ifMatch: `"${before.entity_tag}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.errors[0]).toMatchObject({ code: "precondition_failed", target: { type: "header", name: "If-Match" } });
    expect(await getEnterpriseSettings(server, enterpriseId, { includeHistory: true })).toEqual(after);
  });

  it("records history in the account history's shape (an enterprise key: its enterprise_id, account_id null)", async () => {
    const { enterprise_id: id } = await createEnterprise(server);
    const editor = await createEnterpriseKey(server, id, "editor", { name: "ent-ci" });
    const r1 = await putEnterpriseSettings(server, id, { session_invalidation_in_seconds: "1800" }, { token: editor.key });
    const r2 = await putEnterpriseSettings(server, id, { max_sessions_per_identity: "2" });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const same = await putEnterpriseSettings(server, id, { max_sessions_per_identity: "2" });
    expect(same.body.entity_tag).toBe(r2.body.entity_tag);
    const s = await getEnterpriseSettings(server, id, { includeHistory: true });
    expect(s.history).toEqual([
      {
        version: 2,
        changed_at: r1.body.updated_at,
        changed_by: { key_id: editor.id, iam_id: editor.id, key_name: "ent-ci", account_id: null, enterprise_id: id },
        idempotency_key: null,
        action: "update",
        old: unset,
        new: { ...unset, session_invalidation_in_seconds: "1800" },
      },
      {
        version: 3,
        changed_at: r2.body.updated_at,
        changed_by: { key_id: expect.stringMatching(/^ApiKey-[0-9a-f]{16}$/), iam_id: expect.stringMatching(/^ApiKey-[0-9a-f]{16}$/), key_name: expect.any(String), account_id: null, enterprise_id: null },
        idempotency_key: null,
        action: "update",
        old: { ...unset, session_invalidation_in_seconds: "1800" },
        new: { ...unset, session_invalidation_in_seconds: "1800", max_sessions_per_identity: "2" },
      },
    ]);
  });

  it("tells an enterprise key, an account key and the platform administrator apart in a linked account's history", async () => {
    const { enterprise_id: ent } = await createEnterprise(server);
    const { account_id: acct } = await createAccount(server);
    await linkAccount(server, acct, ent);
    const entKey = await createEnterpriseKey(server, ent, "editor", { name: "ent-editor" });
    const acctKey = await createApiKey(server, acct, "editor", { name: "acct-editor" });
    const puts = [
      await putSettings(server, acct, { max_sessions_per_identity: "3" }, { token: entKey.key }),
      await putSettings(server, acct, { max_sessions_per_identity: "4" }, { token: acctKey.key }),
      await putSettings(server, acct, { max_sessions_per_identity: "5" }),
    ];
    expect(puts.map((r) => r.status)).toEqual([200, 200, 200]);
    const s = await getSettings(server, acct, { includeHistory: true });
    expect(s.history!.map((h) => h.changed_by)).toEqual([
      { key_id: entKey.id, iam_id: entKey.id, key_name: "ent-editor", account_id: null, enterprise_id: ent },
      { key_id: acctKey.id, iam_id: acctKey.id, key_name: "acct-editor", account_id: acct, enterprise_id: null },
      { key_id: expect.stringMatching(/^ApiKey-[0-9a-f]{16}$/), iam_id: expect.stringMatching(/^ApiKey-[0-9a-f]{16}$/), key_name: expect.any(String), account_id: null, enterprise_id: null },
    ]);
  });
});

describe.each(SETTINGS.map((def) => [def.name, def] as const))("enterprise %s validation", (_name, def) => {
  it.each(validSettingValues(def))("accepts %j and stores it exactly", async (value) => {
    const res = await putEnterpriseSettings(server, enterpriseId, { [def.name]: value });
    expect(res.status, res.text).toBe(200);
    expect((await getEnterpriseSettings(server, enterpriseId))[def.name as "max_sessions_per_identity"]).toBe(value);
  });

  it.each(invalidSettingValues(def))("rejects %s with 400 naming the setting; stores nothing", async (_why, value) => {
    const before = await getEnterpriseSettings(server, enterpriseId, { includeHistory: true });
    const res = await putEnterpriseSettings(server, enterpriseId, { [def.name]: value });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0]).toMatchObject({ code: "invalid_setting_value", target: { type: "field", name: def.name } });
    expect(res.body.errors[0]!.message).toContain(describeValidValues(def));
    expect(await getEnterpriseSettings(server, enterpriseId, { includeHistory: true })).toEqual(before);
  });
});

describe("enterprise keys and roles", () => {
  type Caller = Role | "other enterprise's owner" | "linked account's owner" | "platform admin";
  let ent: string;
  let linked: string;
  let unlinked: string;
  const tokens = {} as Record<Caller, string>;

  beforeAll(async () => {
    const mine = await createEnterpriseWithKeys(server);
    const other = await createEnterpriseWithKeys(server);
    ent = mine.enterprise.enterprise_id;
    const linkedAccount = await createAccountWithKeys(server);
    linked = linkedAccount.account.account_id;
    unlinked = (await createAccount(server)).account_id;
    await linkAccount(server, linked, ent);
    Object.assign(tokens, mine.keys, {
      "other enterprise's owner": other.keys.owner,
      "linked account's owner": linkedAccount.keys.owner,
      "platform admin": server.adminToken,
    });
  });

  const CALLERS: Caller[] = ["viewer", "editor", "administrator", "owner", "other enterprise's owner", "linked account's owner", "platform admin"];
  const EXPECTED: Array<[string, (t: string) => Promise<number>, Record<Caller, number>]> = [
    ["GET enterprise settings", async (t) => (await apiRequest(server, "GET", enterpriseSettingsPath(ent), { token: t })).status,
      { viewer: 200, editor: 200, administrator: 200, owner: 200, "other enterprise's owner": 404, "linked account's owner": 404, "platform admin": 200 }],
    ["PUT enterprise settings", async (t) => (await putEnterpriseSettings(server, ent, { max_sessions_per_identity: "9" }, { token: t })).status,
      { viewer: 403, editor: 200, administrator: 200, owner: 200, "other enterprise's owner": 404, "linked account's owner": 404, "platform admin": 200 }],
    ["POST enterprise api_keys", async (t) => (await apiRequest(server, "POST", `/v1/enterprises/${ent}/api_keys`, { token: t, json: { role: "viewer" } })).status,
      { viewer: 403, editor: 403, administrator: 403, owner: 201, "other enterprise's owner": 404, "linked account's owner": 404, "platform admin": 201 }],
    ["GET a linked account's settings", async (t) => (await apiRequest(server, "GET", settingsPath(linked), { token: t })).status,
      { viewer: 200, editor: 200, administrator: 200, owner: 200, "other enterprise's owner": 404, "linked account's owner": 200, "platform admin": 200 }],
    ["PUT a linked account's settings", async (t) => (await putSettings(server, linked, { max_sessions_per_identity: "8" }, { token: t })).status,
      { viewer: 403, editor: 200, administrator: 200, owner: 200, "other enterprise's owner": 404, "linked account's owner": 200, "platform admin": 200 }],
    ["GET an unlinked account's settings", async (t) => (await apiRequest(server, "GET", settingsPath(unlinked), { token: t })).status,
      { viewer: 404, editor: 404, administrator: 404, owner: 404, "other enterprise's owner": 404, "linked account's owner": 404, "platform admin": 200 }],
    ["PUT an unlinked account's settings", async (t) => (await putSettings(server, unlinked, { max_sessions_per_identity: "7" }, { token: t })).status,
      { viewer: 404, editor: 404, administrator: 404, owner: 404, "other enterprise's owner": 404, "linked account's owner": 404, "platform admin": 200 }],
    ["POST a trusted profile in a linked account", async (t) => (await apiRequest(server, "POST", trustedProfilesPath(linked), { token: t, json: { name: "p" } })).status,
      { viewer: 403, editor: 201, administrator: 201, owner: 201, "other enterprise's owner": 404, "linked account's owner": 201, "platform admin": 201 }],
  ];

  describe.each(EXPECTED.map(([n, f, e]) => [n, f, e] as const))("%s", (_n, request, expected) => {
    it.each(CALLERS)("as %s", async (caller) => {
      expect(await request(tokens[caller])).toBe(expected[caller]);
    });
  });

  it("an enterprise key's new key is an enterprise key, shown once", async () => {
    const res = await apiRequest(server, "POST", `/v1/enterprises/${ent}/api_keys`, { token: tokens.owner, json: { role: "editor", name: "ci" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^ApiKey-[0-9a-f]{16}$/),
      name: "ci",
      role: "editor",
      enterprise_id: ent,
      account_id: null,
      key: expect.stringMatching(/^iams_[A-Za-z0-9_-]{43}$/),
      created_at: expect.any(String),
      created_by: expect.stringMatching(/^ApiKey-/),
      expires_at: null,
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("an enterprise administrator manages members of linked accounts only, and loses an account when it is unlinked", async () => {
    const { iam_id } = await createIdentity(server);
    const acct = (await createAccount(server)).account_id;
    expect((await apiRequest(server, "PUT", memberPath(acct, iam_id), { token: tokens.administrator })).status).toBe(404);
    await linkAccount(server, acct, ent);
    // Not the platform administrator: an invitation, which the identity must accept (test/tenancy/invitations.test.ts).
    expect((await apiRequest(server, "PUT", memberPath(acct, iam_id), { token: tokens.administrator })).status).toBe(202);
    expect((await apiRequest(server, "PUT", memberPath(acct, iam_id), { token: tokens.editor })).status).toBe(403);
    await unlinkAccount(server, acct);
    expect((await apiRequest(server, "GET", settingsPath(acct), { token: tokens.owner })).status).toBe(404);
  });
});

describe("the account ↔ enterprise link", () => {
  it("GET answers the enterprise, 404 not_linked without one; PUT links (idempotent, replacing another link); DELETE unlinks (idempotent)", async () => {
    const acct = (await createAccount(server)).account_id;
    const other = (await createEnterprise(server)).enterprise_id;
    const get = async () => (await apiRequest(server, "GET", accountEnterprisePath(acct), { token: admin() })).body;
    const unlinked = async () => {
      const res = await apiRequest(server, "GET", accountEnterprisePath(acct), { token: admin() });
      expect(res.status).toBe(404);
      expect(res.body.errors).toEqual([
        { code: "not_linked", message: `account ${acct} belongs to no enterprise; link it with PUT`, target: { type: "parameter", name: "account_id" } },
      ]);
    };
    await unlinked();
    const put = await apiRequest(server, "PUT", accountEnterprisePath(acct), { token: admin(), json: { enterprise_id: enterpriseId } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ account_id: acct, enterprise_id: enterpriseId });
    expect((await apiRequest(server, "PUT", accountEnterprisePath(acct), { token: admin(), json: { enterprise_id: enterpriseId } })).status).toBe(200);
    await linkAccount(server, acct, other);
    expect(await get()).toEqual({ account_id: acct, enterprise_id: other });
    await unlinkAccount(server, acct);
    await unlinkAccount(server, acct);
    // A deleted link is gone: reading it is 404, not 200 with null (the fuzzer's use-after-free check).
    await unlinked();
  });

  it("404 for a missing account or enterprise, 400 for a bad body", async () => {
    const acct = (await createAccount(server)).account_id;
    const noAccount = await apiRequest(server, "PUT", accountEnterprisePath("no-such-account"), { token: admin(), json: { enterprise_id: enterpriseId } });
    expect(noAccount.status).toBe(404);
    expect(noAccount.body.errors[0].target).toEqual({ type: "parameter", name: "account_id" });
    const noEnt = await apiRequest(server, "PUT", accountEnterprisePath(acct), { token: admin(), json: { enterprise_id: "no-such-ent" } });
    expect(noEnt.status).toBe(404);
    expect(noEnt.body.errors[0].target).toEqual({ type: "field", name: "enterprise_id" });
    for (const json of [{}, { enterprise_id: "Bad Id" }, { enterprise_id: enterpriseId, extra: true }]) {
      expect((await apiRequest(server, "PUT", accountEnterprisePath(acct), { token: admin(), json })).status).toBe(400);
    }
  });

  it("who may link and unlink: only the platform admin links; the linked enterprise's owner/administrator may unlink", async () => {
    const { enterprise: target, keys: t } = await createEnterpriseWithKeys(server);
    const { keys: o } = await createEnterpriseWithKeys(server);
    const { account, keys: a } = await createAccountWithKeys(server);
    const acct = account.account_id;
    const link = async (token: string, ent = target.enterprise_id) =>
      (await apiRequest(server, "PUT", accountEnterprisePath(acct), { token, json: { enterprise_id: ent } })).status;
    const unlink = async (token: string) => (await apiRequest(server, "DELETE", accountEnterprisePath(acct), { token })).status;

    expect(await link(a.owner)).toBe(403); // the account's own owner may not move it
    expect(await link(t.administrator)).toBe(404); // an enterprise cannot adopt (or even see) an account not linked to it
    expect(await link(t.owner)).toBe(404);
    expect(await link(o.owner)).toBe(404);
    expect(await link(server.adminToken)).toBe(200);
    expect(await link(t.viewer)).toBe(403); // now linked: visible, but only the platform links
    expect(await link(t.owner)).toBe(403);
    expect(await link(o.owner)).toBe(404); // another enterprise cannot take it
    expect(await unlink(t.editor)).toBe(403);
    expect(await unlink(a.owner)).toBe(403);
    expect(await unlink(o.owner)).toBe(404);
    expect(await unlink(t.owner)).toBe(204);
    expect(await link(server.adminToken)).toBe(200);
    expect(await unlink(server.adminToken)).toBe(204);
  });
});
