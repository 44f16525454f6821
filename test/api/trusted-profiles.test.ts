// Trusted profiles through the API: defaults, the session duration's validation matrix (900 … 43200), If-Match on
// PUT and DELETE, 404s, and roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRUSTED_PROFILE_SESSION_DURATION as DURATION, describeValidValues } from "../../schemas/settings.ts";
import {
  apiRequest,
  createAccountWithKeys,
  createTrustedProfile,
  invalidSettingValues,
  startApiServer,
  trustedProfilesPath,
  validSettingValues,
  type ApiServer,
  type Role,
  type TrustedProfile,
} from "../helpers/api-server.ts";

let server: ApiServer;
let accountId: string;
let keys: Record<Role, string>;
let otherOwner: string;
beforeAll(async () => {
  server = await startApiServer();
  ({ account: { account_id: accountId }, keys } = await createAccountWithKeys(server));
  otherOwner = (await createAccountWithKeys(server)).keys.owner;
});
afterAll(async () => {
  await server?.dispose();
});
const admin = () => server.adminToken;
const MISSING = "Profile-00000000000000000000000000000000";

function put(profileId: string, json: unknown, ifMatch: string | null = "*", token = admin()) {
  return apiRequest(server, "PUT", trustedProfilesPath(accountId, profileId), { token, json, headers: ifMatch === null ? {} : { "if-match": ifMatch } });
}

describe("create and read", () => {
  it("creates a profile with session_duration_in_seconds NOT_SET (the default, 3600) and an ETag", async () => {
    const res = await apiRequest(server, "POST", trustedProfilesPath(accountId), { token: keys.editor, json: { name: "federated" } });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toEqual({
      profile_id: expect.stringMatching(/^Profile-[0-9a-f]{32}$/),
      account_id: accountId,
      name: "federated",
      session_duration_in_seconds: "NOT_SET",
      entity_tag: expect.stringMatching(/^[0-9a-f]{32}$/),
      created_at: expect.any(String),
      updated_at: res.body.created_at,
    });
    expect(res.headers.get("etag")).toBe(`"${res.body.entity_tag}"`);
    expect(DURATION.serviceDefault).toBe(3600);
    const got = await apiRequest(server, "GET", trustedProfilesPath(accountId, res.body.profile_id), { token: keys.viewer });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.get("etag")).toBe(`"${res.body.entity_tag}"`);
    const list = await apiRequest(server, "GET", trustedProfilesPath(accountId), { token: keys.viewer });
    expect(list.body.trusted_profiles).toContainEqual(res.body);
  });

  it.each(validSettingValues(DURATION))("accepts session_duration_in_seconds %j (both ends of 900 … 43200)", async (value) => {
    const p = await createTrustedProfile(server, accountId, { session_duration_in_seconds: value });
    expect(p.session_duration_in_seconds).toBe(value);
    const changed = await put(p.profile_id, { session_duration_in_seconds: value === "900" ? "43200" : "900" });
    expect(changed.status).toBe(200);
  });

  it.each(invalidSettingValues(DURATION))("rejects %s on create and on PUT with 400 naming the setting; stores nothing", async (_why, value) => {
    const before = await apiRequest(server, "GET", trustedProfilesPath(accountId), { token: admin() });
    const res = await apiRequest(server, "POST", trustedProfilesPath(accountId), { token: admin(), json: { name: "bad", session_duration_in_seconds: value } });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ code: "invalid_setting_value", target: { type: "field", name: "session_duration_in_seconds" } });
    expect(res.body.errors[0].message).toContain(describeValidValues(DURATION));
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId), { token: admin() })).body).toEqual(before.body);

    const p = before.body.trusted_profiles[0] as TrustedProfile;
    const upd = await put(p.profile_id, { session_duration_in_seconds: value });
    expect(upd.status).toBe(400);
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId, p.profile_id), { token: admin() })).body).toEqual(p);
  });

  it("rejects a missing or empty name and unknown fields", async () => {
    for (const json of [{}, { name: "" }, { name: "x", session_duration: "900" }]) {
      const res = await apiRequest(server, "POST", trustedProfilesPath(accountId), { token: admin(), json });
      expect(res.status, JSON.stringify(json)).toBe(400);
    }
  });
});

describe("PUT and DELETE with If-Match", () => {
  it("PUT is partial and needs If-Match: 428 without, 412 when stale, no-op keeps the tag", async () => {
    const p = await createTrustedProfile(server, accountId, { name: "ops", session_duration_in_seconds: "1800" });
    const none = await put(p.profile_id, { name: "ops2" }, null);
    expect(none.status).toBe(428);
    expect(none.body.errors[0]).toMatchObject({ code: "precondition_required", target: { type: "header", name: "If-Match" } });
    const ok = await put(p.profile_id, { name: "ops2" }, `"${p.entity_tag}"`, keys.editor);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: "ops2", session_duration_in_seconds: "1800" });
    expect(ok.body.entity_tag).not.toBe(p.entity_tag);
    expect(ok.headers.get("etag")).toBe(`"${ok.body.entity_tag}"`);
    const stale = await put(p.profile_id, { session_duration_in_seconds: "900" }, `"${p.entity_tag}"`);
    expect(stale.status).toBe(412);
    expect(stale.body.errors[0].code).toBe("precondition_failed");
    const same = await put(p.profile_id, { name: "ops2" }, ok.body.entity_tag);
    expect(same.status).toBe(200);
    expect(same.body).toEqual(ok.body);
  });

  it("DELETE: a stale If-Match is 412 and keeps the profile; without If-Match or with the current tag it deletes", async () => {
    const p = await createTrustedProfile(server, accountId);
    const changed = await put(p.profile_id, { name: "renamed" });
    const stale = await apiRequest(server, "DELETE", trustedProfilesPath(accountId, p.profile_id), { token: admin(), headers: { "if-match": `"${p.entity_tag}"` } });
    expect(stale.status).toBe(412);
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId, p.profile_id), { token: admin() })).status).toBe(200);
    const del = await apiRequest(server, "DELETE", trustedProfilesPath(accountId, p.profile_id), { token: keys.editor, headers: { "if-match": `"${changed.body.entity_tag}"` } });
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId, p.profile_id), { token: admin() })).status).toBe(404);

    const q = await createTrustedProfile(server, accountId);
    expect((await apiRequest(server, "DELETE", trustedProfilesPath(accountId, q.profile_id), { token: admin() })).status).toBe(204);
  });

  it("404 for a missing profile on GET, PUT and DELETE, and for a profile of another account", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await apiRequest(server, method, trustedProfilesPath(accountId, MISSING), {
        token: admin(),
        ...(method === "PUT" ? { json: { name: "x" }, headers: { "if-match": "*" } } : {}),
      });
      expect(res.status, method).toBe(404);
      expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "profile_id" });
    }
    const other = await createAccountWithKeys(server);
    const p = await createTrustedProfile(server, other.account.account_id);
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId, p.profile_id), { token: admin() })).status).toBe(404);
  });
});

describe("roles", () => {
  type Caller = Role | "other account's owner" | "no token";
  const CALLERS: Caller[] = ["no token", "viewer", "editor", "administrator", "owner", "other account's owner"];
  const token = (c: Caller) => (c === "no token" ? undefined : c === "other account's owner" ? otherOwner : keys[c]);
  let profile: TrustedProfile;
  beforeAll(async () => {
    profile = await createTrustedProfile(server, accountId, { name: "roles" });
  });
  const write = { "no token": 401, viewer: 403, editor: 0, administrator: 0, owner: 0, "other account's owner": 404 };
  const read = { "no token": 401, viewer: 200, editor: 200, administrator: 200, owner: 200, "other account's owner": 404 };

  it.each(CALLERS)("as %s", async (caller) => {
    const t = token(caller);
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId), { token: t })).status).toBe(read[caller]);
    expect((await apiRequest(server, "GET", trustedProfilesPath(accountId, profile.profile_id), { token: t })).status).toBe(read[caller]);
    const created = await apiRequest(server, "POST", trustedProfilesPath(accountId), { token: t, json: { name: "r" } });
    expect(created.status).toBe(write[caller] || 201);
    const target = created.status === 201 ? (created.body as TrustedProfile).profile_id : profile.profile_id;
    const changed = await apiRequest(server, "PUT", trustedProfilesPath(accountId, target), { token: t, json: { name: `r-${caller}` }, headers: { "if-match": "*" } });
    expect(changed.status).toBe(write[caller] || 200);
    expect((await apiRequest(server, "DELETE", trustedProfilesPath(accountId, target), { token: t })).status).toBe(write[caller] || 204);
  });
});
