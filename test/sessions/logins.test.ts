// Which logins create sessions (SPEC §1, every row of the table), the console cookie's exact headers, validation,
// logout, and what a wrong credential gets — through the real app, a real SQLite file and HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, apiRequest, createAccount, createIdentity, createTrustedProfile, removeMember } from "../helpers/api-server.ts";
import { cliLogin, consoleLogin, cookieValue, createIdentityKey, setPassword, startInProcessServer, validate, type InProcessServer } from "../helpers/session-server.ts";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
});
afterAll(async () => {
  await server?.dispose();
});

const PASSWORD = "correct horse battery staple";
const COOKIE = "__Host-iamsession";
const CLEARING = `${COOKIE}=; Secure; HttpOnly; SameSite=Lax; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;

async function userIn(accountId: string, kind: "user" | "service_id" = "user") {
  const identity = await createIdentity(server, { kind });
  await addMember(server, accountId, identity.iam_id);
  await setPassword(server, identity.iam_id, PASSWORD);
  const key = await createIdentityKey(server, identity.iam_id);
  return { iamId: identity.iam_id, key: key.key, keyId: key.id };
}

function sessionCount(iamId: string): number {
  return (server.db.prepare("SELECT count(*) AS n FROM sessions WHERE iam_id = ?").get(iamId) as { n: number }).n;
}

describe("which logins create sessions", () => {
  it("a user's console login: a session, its token only in the __Host- cookie with exact attributes", async () => {
    const { account_id } = await createAccount(server);
    const u = await userIn(account_id);
    const res = await consoleLogin(server, account_id, u.iamId, PASSWORD);
    expect(res.status).toBe(201);
    const setCookie = res.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^__Host-iamsession=iamss_[A-Za-z0-9_-]{43}; Secure; HttpOnly; SameSite=Lax; Path=\/$/);
    expect(res.body.token).toBeUndefined();
    expect(res.text).not.toContain(cookieValue(setCookie));
    expect(res.body.session).toMatchObject({ iam_id: u.iamId, account_id, channel: "console", state: "active", current: true });
    expect(res.body.token_type).toBe("session");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(sessionCount(u.iamId)).toBe(1);

    // The cookie authenticates GET /v1/session (validate + touch).
    const v = await apiRequest(server, "GET", "/v1/session", { headers: { cookie: `${COOKIE}=${cookieValue(setCookie)}` } });
    expect(v.status).toBe(200);
    expect(v.body.session.session_id).toBe(res.body.session.session_id);
  });

  it("a user's CLI login: a session and its token in the body", async () => {
    const { account_id } = await createAccount(server);
    const u = await userIn(account_id);
    const res = await cliLogin(server, account_id, u.key);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/identities/${encodeURIComponent(u.iamId)}/sessions/${res.body.session.session_id}`);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.body.token).toMatch(/^iamss_[A-Za-z0-9_-]{43}$/);
    expect(res.body.session.channel).toBe("cli");
    const v = await validate(server, res.body.token);
    expect(v.status).toBe(200);
    expect(v.body.session).toMatchObject({ iam_id: u.iamId, account_id, channel: "cli" });
    expect(v.body.limits.session_invalidation_in_seconds).toEqual({ value: "7200", source: "default", source_id: null, account_id });
    expect(v.body.limits.max_sessions_exceeded_action.value).toBe("END_OLDEST");
    expect(sessionCount(u.iamId)).toBe(1);
  });

  it("an API key for an API call: POST /v1/tokens gives an access token and creates no session", async () => {
    const { account_id } = await createAccount(server);
    const u = await userIn(account_id);
    const res = await apiRequest(server, "POST", "/v1/tokens", { json: { account_id, api_key: u.key } });
    // 200, not 201: a token grant creates nothing addressable (no Location to give).
    expect(res.status).toBe(200);
    expect(res.body.token).toMatch(/^iamat_/);
    expect(sessionCount(u.iamId)).toBe(0);
    // It authenticates API calls as the member, with its membership's role (viewer by default) …
    const read = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: res.body.token });
    expect(read.status).toBe(200);
    const write = await apiRequest(server, "PUT", `/v1/accounts/${account_id}/settings/identity`, {
      token: res.body.token,
      json: { session_invalidation_in_seconds: "900" },
      headers: { "if-match": "*" },
    });
    expect(write.status).toBe(403);
    // … but it is no session.
    const notSession = await validate(server, res.body.token);
    expect(notSession.status).toBe(403);
    expect(notSession.body.errors[0].code).toBe("not_a_session");
    expect(sessionCount(u.iamId)).toBe(0);
  });

  it("a service ID: its CLI login gives a token and no session; its console login is refused", async () => {
    const { account_id } = await createAccount(server);
    const s = await userIn(account_id, "service_id");
    const cli = await cliLogin(server, account_id, s.key);
    expect(cli.status).toBe(200); // no session was created: nothing addressable, so no 201
    expect(cli.headers.get("location")).toBeNull();
    expect(cli.body.session).toBeNull();
    expect(cli.body.token_type).toBe("access");
    expect(cli.body.token).toMatch(/^iamat_/);
    const console = await consoleLogin(server, account_id, s.iamId, PASSWORD);
    expect(console.status).toBe(403);
    expect(console.body.errors[0].code).toBe("console_login_not_allowed");
    expect(sessionCount(s.iamId)).toBe(0);
  });

  it("a federated user through a trusted profile: a session, asserted by the account's federation key", async () => {
    const { account_id } = await createAccount(server);
    const profile = await createTrustedProfile(server, account_id, { session_duration_in_seconds: "1800" });
    const fk = await apiRequest(server, "POST", `/v1/accounts/${account_id}/federation_keys`, { token: server.adminToken, json: {} });
    expect(fk.status).toBe(201);
    expect(fk.body.role).toBe("federation");
    const body = { account_id, channel: "cli", profile_id: profile.profile_id, subject: "jane.doe" };
    const res = await apiRequest(server, "POST", "/v1/sessions", { token: fk.body.key, json: body });
    expect(res.status).toBe(201);
    expect(res.body.session.profile_id).toBe(profile.profile_id);
    expect(res.body.limits.session_expiration_in_seconds).toEqual({ value: "1800", source: "trusted_profile", source_id: profile.profile_id, account_id });
    // Without the key, or with another account's: refused.
    expect((await apiRequest(server, "POST", "/v1/sessions", { json: body })).status).toBe(401);
    const other = await createAccount(server);
    const otherKey = await apiRequest(server, "POST", `/v1/accounts/${other.account_id}/federation_keys`, { token: server.adminToken, json: {} });
    expect((await apiRequest(server, "POST", "/v1/sessions", { token: otherKey.body.key, json: body })).status).toBe(404);
  });
});

describe("wrong credentials and who may log in where", () => {
  it("a wrong password, an unknown identity, a wrong or revoked key: the same 401 invalid_credentials", async () => {
    const { account_id } = await createAccount(server);
    const u = await userIn(account_id);
    const answers = [
      await consoleLogin(server, account_id, u.iamId, "wrong password!!"),
      await consoleLogin(server, account_id, "nobody-here", PASSWORD),
      await cliLogin(server, account_id, "iams_not-a-key"),
    ];
    await apiRequest(server, "DELETE", `/v1/identities/${u.iamId}/api_keys/${u.keyId}`, { token: server.adminToken });
    answers.push(await cliLogin(server, account_id, u.key));
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body.errors).toEqual([{ code: "invalid_credentials", message: "the credentials are not valid for this account", target: { type: "body", name: "body" } }]);
    }
    expect(sessionCount(u.iamId)).toBe(0);
  });

  it("an account the identity is not a member of: 404, no session", async () => {
    const { account_id } = await createAccount(server);
    const other = await createAccount(server);
    const u = await userIn(account_id);
    const res = await cliLogin(server, other.account_id, u.key);
    expect(res.status).toBe(404);
    expect(sessionCount(u.iamId)).toBe(0);
  });

  it("a CLI login reads its key, the identity's membership and kind fresh: a revocation or a removed membership applies to the next login", async () => {
    const { account_id } = await createAccount(server);
    const other = await createAccount(server);
    const u = await userIn(account_id);
    await addMember(server, other.account_id, u.iamId);
    expect((await cliLogin(server, other.account_id, u.key)).status).toBe(201);
    await removeMember(server, other.account_id, u.iamId);
    expect((await cliLogin(server, other.account_id, u.key)).status).toBe(404);
    expect((await cliLogin(server, account_id, u.key)).status).toBe(201);
    // A service ID's key (the kind read with the key): an access token, no session.
    const s = await userIn(account_id, "service_id");
    const cli = await cliLogin(server, account_id, s.key);
    expect([cli.status, cli.body.token_type, sessionCount(s.iamId)]).toEqual([200, "access", 0]);
    const before = sessionCount(u.iamId);
    expect((await apiRequest(server, "DELETE", `/v1/identities/${encodeURIComponent(u.iamId)}/api_keys/${u.keyId}`, { token: server.adminToken })).status).toBe(204);
    const refused = await cliLogin(server, account_id, u.key);
    expect([refused.status, refused.body.errors[0].code]).toEqual([401, "invalid_credentials"]);
    expect(sessionCount(u.iamId)).toBe(before);
  });

  it("bad bodies name the field", async () => {
    const { account_id } = await createAccount(server);
    const res = await apiRequest(server, "POST", "/v1/sessions", { json: { account_id, channel: "console", iam_id: "someone" } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].target).toEqual({ type: "field", name: "password" });
    const res2 = await apiRequest(server, "POST", "/v1/sessions", { json: { account_id, channel: "web" } });
    expect(res2.status).toBe(400);
    expect(res2.body.errors[0].target.name).toBe("channel");
  });
});

describe("logout", () => {
  it("DELETE /v1/session ends the session and clears the cookie; the cookie is then refused with its reason", async () => {
    const { account_id } = await createAccount(server);
    const u = await userIn(account_id);
    const login = await consoleLogin(server, account_id, u.iamId, PASSWORD);
    const cookie = `${COOKIE}=${cookieValue(login.headers.get("set-cookie"))}`;
    // A changing request with the cookie must come from this origin (CSRF).
    const foreign = await apiRequest(server, "DELETE", "/v1/session", { headers: { cookie, origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    const out = await apiRequest(server, "DELETE", "/v1/session", { headers: { cookie, origin: server.url } });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toBe(CLEARING);
    const again = await apiRequest(server, "GET", "/v1/session", { headers: { cookie } });
    expect(again.status).toBe(401);
    expect(again.body.errors[0].code).toBe("logout");
    expect(again.headers.get("set-cookie")).toBe(CLEARING);
  });
});
