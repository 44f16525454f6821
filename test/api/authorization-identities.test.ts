// The authorisation matrix of the issue #6 routes outside enterprises.test.ts: identities, members, the account's
// enterprise link (read), and the effective settings of accounts and identities — every caller, the status it gets.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountEffectiveSettingsPath,
  accountEnterprisePath,
  addMember,
  apiRequest,
  createAccountWithKeys,
  createEnterpriseWithKeys,
  createIdentity,
  identityEffectiveSettingsPath,
  linkAccount,
  memberPath,
  startApiServer,
  type ApiResponse,
  type ApiServer,
  type Role,
} from "../helpers/api-server.ts";

type Caller =
  | "no token"
  | Role
  | "other account's owner"
  | "enterprise viewer"
  | "enterprise editor"
  | "enterprise administrator"
  | "other enterprise's owner"
  | "platform admin";
const CALLERS: Caller[] = [
  "no token", "viewer", "editor", "administrator", "owner", "other account's owner",
  "enterprise viewer", "enterprise editor", "enterprise administrator", "other enterprise's owner", "platform admin",
];

let server: ApiServer;
let accountId: string;
let memberId: string; // a member of accountId only
let strangerId: string; // a member of the other account only
const tokens = {} as Record<Caller, string | undefined>;

beforeAll(async () => {
  server = await startApiServer();
  const mine = await createAccountWithKeys(server);
  const other = await createAccountWithKeys(server);
  const ent = await createEnterpriseWithKeys(server);
  const otherEnt = await createEnterpriseWithKeys(server);
  accountId = mine.account.account_id;
  await linkAccount(server, accountId, ent.enterprise.enterprise_id);
  memberId = (await createIdentity(server)).iam_id;
  strangerId = (await createIdentity(server)).iam_id;
  await addMember(server, accountId, memberId);
  await addMember(server, other.account.account_id, strangerId);
  Object.assign(tokens, mine.keys, {
    "no token": undefined,
    "other account's owner": other.keys.owner,
    "enterprise viewer": ent.keys.viewer,
    "enterprise editor": ent.keys.editor,
    "enterprise administrator": ent.keys.administrator,
    "other enterprise's owner": otherEnt.keys.owner,
    "platform admin": server.adminToken,
  });
});
afterAll(async () => {
  await server?.dispose();
});

let seq = 0;
const row = (values: number[]) => Object.fromEntries(CALLERS.map((c, i) => [c, values[i]!])) as Record<Caller, number>;
//                               none view edit adm  own  othA eV   eE   eA   othE admin
const READ_ACCOUNT = row([        401, 200, 200, 200, 200, 404, 200, 200, 200, 404, 200]);

const ROUTES: Array<{ name: string; request(token: string | undefined): Promise<ApiResponse>; expected: Record<Caller, number> }> = [
  {
    name: "POST /v1/identities",
    request: (token) => apiRequest(server, "POST", "/v1/identities", { token, json: { iam_id: `authz-${++seq}`, name: "x" } }),
    expected: row([401, 403, 403, 403, 403, 403, 403, 403, 403, 403, 201]),
  },
  {
    name: "GET /v1/accounts/{account_id}/members",
    request: (token) => apiRequest(server, "GET", `/v1/accounts/${accountId}/members`, { token }),
    expected: READ_ACCOUNT,
  },
  {
    name: "PUT /v1/accounts/{account_id}/members/{iam_id}",
    request: (token) => apiRequest(server, "PUT", memberPath(accountId, memberId), { token }),
    expected: row([401, 403, 403, 200, 200, 404, 403, 403, 200, 404, 200]),
  },
  {
    name: "DELETE /v1/accounts/{account_id}/members/{iam_id} (of an identity that is not a member)",
    request: (token) => apiRequest(server, "DELETE", memberPath(accountId, strangerId), { token }),
    expected: row([401, 403, 403, 204, 204, 404, 403, 403, 204, 404, 204]),
  },
  {
    name: "GET /v1/accounts/{account_id}/enterprise",
    request: (token) => apiRequest(server, "GET", accountEnterprisePath(accountId), { token }),
    expected: READ_ACCOUNT,
  },
  {
    name: "GET /v1/accounts/{account_id}/effective_settings/identity",
    request: (token) => apiRequest(server, "GET", accountEffectiveSettingsPath(accountId), { token }),
    expected: READ_ACCOUNT,
  },
  {
    name: "GET /v1/identities/{iam_id}/effective_settings/identity (a member of the account)",
    request: (token) => apiRequest(server, "GET", identityEffectiveSettingsPath(memberId), { token }),
    expected: READ_ACCOUNT,
  },
  {
    name: "GET /v1/identities/{iam_id}/effective_settings/identity (a member of another account only)",
    request: (token) => apiRequest(server, "GET", identityEffectiveSettingsPath(strangerId), { token }),
    expected: row([401, 404, 404, 404, 404, 200, 404, 404, 404, 404, 200]),
  },
];

describe.each(ROUTES.map((r) => [r.name, r] as const))("%s", (_name, route) => {
  it.each(CALLERS)("as %s", async (caller) => {
    const res = await route.request(tokens[caller]);
    expect(res.status, res.text).toBe(route.expected[caller]);
    if (res.status >= 400) expect(res.body.status_code).toBe(res.status);
  });
});

describe("identities and members", () => {
  it("creates identities (iam- + 32 hex when omitted), 409 for an existing id, 400 for a bad one", async () => {
    const gen = await apiRequest(server, "POST", "/v1/identities", { token: server.adminToken, json: { name: "Gen" } });
    expect(gen.status).toBe(201);
    expect(gen.body).toEqual({ iam_id: expect.stringMatching(/^iam-[0-9a-f]{32}$/), name: "Gen", kind: "user", created_at: expect.any(String) });
    const given = await apiRequest(server, "POST", "/v1/identities", { token: server.adminToken, json: { iam_id: "IBMid-Jane.Doe:1", name: "Jane" } });
    expect(given.status).toBe(201);
    const dup = await apiRequest(server, "POST", "/v1/identities", { token: server.adminToken, json: { iam_id: "IBMid-Jane.Doe:1", name: "Again" } });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0]).toMatchObject({ code: "conflict", target: { type: "field", name: "iam_id" } });
    for (const iam_id of ["-starts-with-dash", "has space", "a".repeat(129), ""]) {
      const bad = await apiRequest(server, "POST", "/v1/identities", { token: server.adminToken, json: { iam_id, name: "x" } });
      expect(bad.status, iam_id).toBe(400);
    }
  });

  it("PUT member is idempotent and answers the membership; GET lists members by iam_id with their names; 404 for an unknown identity", async () => {
    const { account } = await createAccountWithKeys(server);
    const a = account.account_id;
    const z = await createIdentity(server, { iamId: "zz-user", name: "Zed" });
    const b = await createIdentity(server, { iamId: "bb-user", name: "Bea" });
    for (let i = 0; i < 2; i++) {
      const res = await apiRequest(server, "PUT", memberPath(a, z.iam_id), { token: server.adminToken });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ account_id: a, iam_id: z.iam_id, role: "viewer" });
    }
    await addMember(server, a, b.iam_id);
    const list = await apiRequest(server, "GET", `/v1/accounts/${a}/members`, { token: server.adminToken });
    expect(list.body).toEqual({ members: [{ iam_id: "bb-user", name: "Bea", role: "viewer" }, { iam_id: "zz-user", name: "Zed", role: "viewer" }], next_cursor: null });
    const missing = await apiRequest(server, "PUT", memberPath(a, "nobody"), { token: server.adminToken });
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].target).toEqual({ type: "parameter", name: "iam_id" });
    expect((await apiRequest(server, "DELETE", memberPath(a, z.iam_id), { token: server.adminToken })).status).toBe(204);
    expect((await apiRequest(server, "GET", `/v1/accounts/${a}/members`, { token: server.adminToken })).body.members).toEqual([{ iam_id: "bb-user", name: "Bea", role: "viewer" }]);
  });

  it("an identity a key may not see gets the same 404 as one that does not exist", async () => {
    const hidden = await apiRequest(server, "GET", identityEffectiveSettingsPath(strangerId), { token: tokens.owner });
    const missing = await apiRequest(server, "GET", identityEffectiveSettingsPath("no-such-identity"), { token: tokens.owner });
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    const strip = (b: { errors: Array<{ message: string }> }, id: string) => b.errors.map((e) => ({ ...e, message: e.message.replace(id, "<id>") }));
    expect(strip(hidden.body, strangerId)).toEqual(strip(missing.body, "no-such-identity"));
  });
});
