// Every limit, enforced at login and at every validation, on a clock the test moves (no sleeping): the idle bound
// on both sides, the lifetime under constant activity, a lowered setting ending live sessions, the lowest value over
// accounts, a stricter enterprise, a trusted profile's cap, and each concurrent-limit action evicting the right
// session — through the real app, a real SQLite file and HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiRequest,
  createAccount,
  createApiKey,
  createEnterprise,
  createIdentity,
  createTrustedProfile,
  linkAccount,
  putEnterpriseSettings,
  putSettings,
} from "../helpers/api-server.ts";
import { cliLogin, createIdentityKey, startInProcessServer, validate, type InProcessServer } from "../helpers/session-server.ts";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
});
afterAll(async () => {
  await server?.dispose();
});

type Settings = Partial<Record<"session_expiration_in_seconds" | "session_invalidation_in_seconds" | "max_sessions_per_identity" | "max_sessions_exceeded_action", string>>;

async function accountWith(settings: Settings = {}) {
  const { account_id } = await createAccount(server);
  if (Object.keys(settings).length) expect((await putSettings(server, account_id, settings)).status).toBe(200);
  return account_id;
}

async function memberOf(...accounts: string[]) {
  const { iam_id } = await createIdentity(server);
  for (const a of accounts) await addMember(server, a, iam_id);
  const { key, id } = await createIdentityKey(server, iam_id);
  return { iamId: iam_id, key, keyId: id };
}

async function login(accountId: string, key: string): Promise<{ token: string; id: string }> {
  const res = await cliLogin(server, accountId, key);
  expect(res.status, res.text).toBe(201);
  return { token: res.body.token, id: res.body.session.session_id };
}

async function expectValid(token: string) {
  const res = await validate(server, token);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

async function expectEnded(token: string, reason: string) {
  const res = await validate(server, token);
  expect(res.status, res.text).toBe(401);
  expect(res.body.errors[0].code).toBe(reason);
}

function row(sessionId: string) {
  return server.db.prepare("SELECT end_reason, ended_by, last_access_at FROM sessions WHERE session_id = ?").get(sessionId) as {
    end_reason: string | null;
    ended_by: string | null;
    last_access_at: number;
  };
}

describe("idle limit: never rejected before idle, always by idle + W (W = 60 s)", () => {
  it("an access that was not written still counts: valid at last access + idle - 1 ms", async () => {
    const a = await accountWith({ session_invalidation_in_seconds: "900" });
    const u = await memberOf(a);
    const s = await login(a, u.key);
    const written = row(s.id).last_access_at;
    server.clock.advance(59); // within W of the recorded access: not written
    expect((await expectValid(s.token)).limits.last_access_write_interval_seconds).toBe(60);
    expect(row(s.id).last_access_at).toBe(written);
    server.clock.advance(900 - 0.001); // true last access + idle - 1 ms
    await expectValid(s.token);
  });

  it("rejected with idle_timeout once last access + idle + W has passed, and stays rejected", async () => {
    const a = await accountWith({ session_invalidation_in_seconds: "900" });
    const u = await memberOf(a);
    const s2 = await login(a, u.key);
    server.clock.advance(60);
    await expectValid(s2.token); // written: the recorded access is now the true one
    server.clock.advance(960); // true last access + idle + W
    await expectEnded(s2.token, "idle_timeout");
    await expectEnded(s2.token, "idle_timeout");
    expect(row(s2.id).end_reason).toBe("idle_timeout");
  });

  it("a busy session costs one last-access write per W, not one per validation", async () => {
    const a = await accountWith();
    const u = await memberOf(a);
    const s = await login(a, u.key);
    let writes = 0;
    let last = row(s.id).last_access_at;
    for (let i = 0; i < 120; i++) {
      server.clock.advance(1);
      await expectValid(s.token);
      const now = row(s.id).last_access_at;
      if (now !== last) writes++;
      last = now;
    }
    expect(writes).toBe(2); // 120 validations over 120 s
  });
});

describe("lifetime", () => {
  it("constant activity never extends a session past created_at + lifetime", async () => {
    const a = await accountWith({ session_expiration_in_seconds: "900", session_invalidation_in_seconds: "900" });
    const u = await memberOf(a);
    const s = await login(a, u.key);
    const first = await expectValid(s.token);
    expect(Date.parse(first.session.expires_at) - Date.parse(first.session.created_at)).toBe(900_000);
    for (let t = 30; t < 900; t += 30) {
      server.clock.advance(30);
      const v = await expectValid(s.token);
      expect(v.session.expires_at).toBe(first.session.expires_at);
    }
    server.clock.advance(30); // created_at + 900 s
    await expectEnded(s.token, "lifetime_expired");
  });
});

describe("limits come from the current settings at every validation", () => {
  it("lowering an account's idle from 7200 to 900 ends a session idle 1,000 s at its next validation", async () => {
    const a = await accountWith({ session_invalidation_in_seconds: "7200" });
    const u = await memberOf(a);
    const s = await login(a, u.key);
    const control = await login(a, (await memberOf(a)).key);
    server.clock.advance(1000);
    await expectValid(control.token); // idle 1,000 s is fine under 7200
    expect((await putSettings(server, a, { session_invalidation_in_seconds: "900" })).status).toBe(200);
    await expectEnded(s.token, "idle_timeout");
  });

  it("an identity in accounts with 15 and 30 minutes idle gets 15 in both", async () => {
    const a15 = await accountWith({ session_invalidation_in_seconds: "900" });
    const a30 = await accountWith({ session_invalidation_in_seconds: "1800" });
    const u = await memberOf(a15, a30);
    const in30 = await login(a30, u.key);
    const v = await expectValid(in30.token);
    expect(v.limits.session_invalidation_in_seconds).toEqual({ value: "900", source: "account", source_id: a15, account_id: a15 });
    server.clock.advance(961);
    await expectEnded(in30.token, "idle_timeout");
  });

  it("an enterprise's stricter value applies to its accounts' sessions", async () => {
    const a = await accountWith({ session_invalidation_in_seconds: "3600" });
    const { enterprise_id } = await createEnterprise(server);
    await linkAccount(server, a, enterprise_id);
    expect((await putEnterpriseSettings(server, enterprise_id, { session_invalidation_in_seconds: "900" })).status).toBe(200);
    const u = await memberOf(a);
    const s = await login(a, u.key);
    const v = await expectValid(s.token);
    expect(v.limits.session_invalidation_in_seconds).toEqual({ value: "900", source: "enterprise", source_id: enterprise_id, account_id: a });
    server.clock.advance(961);
    await expectEnded(s.token, "idle_timeout");
  });

  it("a trusted profile's duration caps a federated session's lifetime, whatever the activity", async () => {
    const a = await accountWith({ session_expiration_in_seconds: "86400" });
    const profile = await createTrustedProfile(server, a, { session_duration_in_seconds: "900" });
    const fk = await apiRequest(server, "POST", `/v1/accounts/${a}/federation_keys`, { token: server.adminToken, json: {} });
    const res = await apiRequest(server, "POST", "/v1/sessions", {
      token: fk.body.key,
      json: { account_id: a, channel: "console", profile_id: profile.profile_id, subject: "fed-user" },
    });
    expect(res.status, res.text).toBe(201);
    const cookie = `__Host-iamsession=${/^__Host-iamsession=([^;]+)/.exec(res.headers.get("set-cookie")!)![1]}`;
    for (let t = 0; t < 870; t += 30) {
      server.clock.advance(30);
      expect((await apiRequest(server, "GET", "/v1/session", { headers: { cookie } })).status).toBe(200);
    }
    server.clock.advance(30);
    const ended = await apiRequest(server, "GET", "/v1/session", { headers: { cookie } });
    expect(ended.status).toBe(401);
    expect(ended.body.errors[0].code).toBe("lifetime_expired");
  });
});

describe("the concurrent limit and its actions", () => {
  /**
   * Three sessions A, B, C of one identity under a limit of 3, then a fourth login D. Times (seconds from A's login):
   * A created 0, used 400; B created 50, used 350; C created 100, used 450. Oldest: A. Least recently used: B.
   * With idle 7200 and lifetime 1000 the next to expire is A (0 + 1000); with lifetime 86400 and idle 900 it is
   * B (350 + 900).
   */
  async function scenario(settings: Settings) {
    const a = await accountWith({ max_sessions_per_identity: "3", ...settings });
    const u = await memberOf(a);
    const A = await login(a, u.key);
    server.clock.advance(50);
    const B = await login(a, u.key);
    server.clock.advance(50);
    const C = await login(a, u.key);
    server.clock.advance(250); // t = 350
    await expectValid(B.token);
    server.clock.advance(50); // 400
    await expectValid(A.token);
    server.clock.advance(50); // 450
    await expectValid(C.token);
    server.clock.advance(10);
    const D = await cliLogin(server, a, u.key);
    return { a, u, A, B, C, D };
  }

  async function expectEvicted(victim: { id: string; token: string }, by: { body: any }, survivors: Array<{ token: string }>) {
    expect(by.body.session, JSON.stringify(by.body)).toBeTruthy();
    expect(row(victim.id)).toMatchObject({ end_reason: "evicted_by_limit", ended_by: by.body.session.session_id });
    await expectEnded(victim.token, "evicted_by_limit");
    for (const s of survivors) await expectValid(s.token);
    await expectValid(by.body.token);
  }

  it("END_OLDEST (and NOT_SET, the service default) ends the session created first", async () => {
    for (const action of ["END_OLDEST", "NOT_SET"]) {
      const { A, B, C, D } = await scenario({ max_sessions_exceeded_action: action });
      expect(D.status).toBe(201);
      expect(D.body.limits.max_sessions_exceeded_action.value).toBe("END_OLDEST");
      await expectEvicted(A, D, [B, C]);
    }
  });

  it("END_LEAST_RECENTLY_USED ends the session used least recently", async () => {
    const { A, B, C, D } = await scenario({ max_sessions_exceeded_action: "END_LEAST_RECENTLY_USED" });
    expect(D.status).toBe(201);
    await expectEvicted(B, D, [A, C]);
  });

  it("END_NEXT_EXPIRING ends the session that would expire first: by lifetime, then by idleness", async () => {
    const byLifetime = await scenario({ max_sessions_exceeded_action: "END_NEXT_EXPIRING", session_expiration_in_seconds: "1000" });
    expect(byLifetime.D.status).toBe(201);
    await expectEvicted(byLifetime.A, byLifetime.D, [byLifetime.B, byLifetime.C]);
    const byIdle = await scenario({ max_sessions_exceeded_action: "END_NEXT_EXPIRING", session_invalidation_in_seconds: "900" });
    expect(byIdle.D.status).toBe(201);
    await expectEvicted(byIdle.B, byIdle.D, [byIdle.A, byIdle.C]);
  });

  it("DENY_NEW refuses the login with session_limit_reached and keeps every session", async () => {
    const { A, B, C, D, u, a } = await scenario({ max_sessions_exceeded_action: "DENY_NEW" });
    expect(D.status).toBe(409);
    expect(D.body.errors[0].code).toBe("session_limit_reached");
    for (const s of [A, B, C]) await expectValid(s.token);
    // Once one ends, a login succeeds again.
    await apiRequest(server, "DELETE", "/v1/session", { token: A.token });
    expect((await cliLogin(server, a, u.key)).status).toBe(201);
  });

  it("a session that already timed out never counts against the limit", async () => {
    const a = await accountWith({ max_sessions_per_identity: "1", max_sessions_exceeded_action: "DENY_NEW", session_invalidation_in_seconds: "900" });
    const u = await memberOf(a);
    const stale = await login(a, u.key);
    server.clock.advance(961);
    const fresh = await cliLogin(server, a, u.key);
    expect(fresh.status).toBe(201);
    expect(row(stale.id).end_reason).toBe("idle_timeout");
  });

  it("the action comes from the level whose limit applies: an enterprise's limit brings its action", async () => {
    const a = await accountWith({ max_sessions_per_identity: "5", max_sessions_exceeded_action: "END_OLDEST" });
    const { enterprise_id } = await createEnterprise(server);
    await linkAccount(server, a, enterprise_id);
    await putEnterpriseSettings(server, enterprise_id, { max_sessions_per_identity: "1", max_sessions_exceeded_action: "DENY_NEW" });
    const u = await memberOf(a);
    await login(a, u.key);
    const second = await cliLogin(server, a, u.key);
    expect(second.status).toBe(409);
  });

  it("a lowered limit applies to live sessions: the next validation brings the identity down to it, by the action", async () => {
    for (const [action, survivors] of [["END_OLDEST", ["C"]], ["END_LEAST_RECENTLY_USED", ["A"]], ["DENY_NEW", ["A"]]] as const) {
      const a = await accountWith({ max_sessions_per_identity: "3", max_sessions_exceeded_action: action });
      const u = await memberOf(a);
      const A = await login(a, u.key);
      server.clock.advance(10);
      const B = await login(a, u.key);
      server.clock.advance(10);
      const C = await login(a, u.key);
      server.clock.advance(100);
      await expectValid(A.token); // A is now the most recently used
      expect((await putSettings(server, a, { max_sessions_per_identity: "1" })).status).toBe(200);
      server.clock.advance(1);
      // Any of the identity's sessions, validated, trims all: check B first (it never survives).
      await expectEnded(B.token, "evicted_by_limit");
      const sessions = { A, B, C };
      for (const [name, s] of Object.entries(sessions)) {
        if ((survivors as readonly string[]).includes(name)) await expectValid(s.token);
        else {
          await expectEnded(s.token, "evicted_by_limit");
          expect(row(s.id), `${action} ${name}`).toMatchObject({ end_reason: "evicted_by_limit", ended_by: null });
        }
      }
    }
  });

  it("the setting is validated like the others: exact words only, naming the field and its valid values", async () => {
    const a = await accountWith();
    for (const bad of ["end_oldest", "END_NEWEST", "", 3, null]) {
      const res = await putSettings(server, a, { max_sessions_exceeded_action: bad });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: "invalid_setting_value", target: { type: "field", name: "max_sessions_exceeded_action" } });
      expect(res.body.errors[0]!.message).toContain('"END_OLDEST", "END_LEAST_RECENTLY_USED", "END_NEXT_EXPIRING", "DENY_NEW", or "NOT_SET"');
    }
    const ok = await putSettings(server, a, { max_sessions_exceeded_action: "DENY_NEW" });
    expect(ok.body.max_sessions_exceeded_action).toBe("DENY_NEW");
    const owner = await createApiKey(server, a, "viewer");
    const eff = await apiRequest(server, "GET", `/v1/accounts/${a}/effective_settings/identity`, { token: owner.key });
    expect(eff.body.max_sessions_exceeded_action).toEqual({ value: "END_OLDEST", source: "default", source_id: null, account_id: a });
  });
});
