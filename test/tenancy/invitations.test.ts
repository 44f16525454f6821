// Consented membership (issue #11) on a real server and SQLite file: the adoption attack, invitations seen from
// both sides, accept/decline/revoke/expiry, the same answer whether or not the identity exists, member roles, and
// answers about an identity that never reveal accounts the caller cannot see.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  createEnterprise,
  createEnterpriseKey,
  linkAccount,
  unlinkAccount,
  apiRequest,
  createAccountWithKeys,
  createIdentity,
  getIdentityEffectiveSettings,
  getSettings,
  memberPath,
  putSettings,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
let shortLived: ApiServer;
beforeAll(async () => {
  [server, shortLived] = await Promise.all([startApiServer(), startApiServer({ env: { IAMSESSION_INVITATION_TTL: "1" } })]);
});
afterAll(async () => {
  await server?.dispose();
  await shortLived?.dispose();
});

const invitationsOf = (s: ApiServer, iamId: string) => apiRequest(s, "GET", `/v1/identities/${iamId}/invitations`, { token: s.adminToken });
const answer = (s: ApiServer, iamId: string, id: string, verb: "accept" | "decline", token = s.adminToken) =>
  apiRequest(s, "POST", `/v1/identities/${iamId}/invitations/${id}/${verb}`, { token });
const strict = { session_expiration_in_seconds: "900", session_invalidation_in_seconds: "900", max_sessions_per_identity: "1" };

describe("the adoption attack", () => {
  it("A invites B's user: nothing changes for the identity or for B until it accepts; declined never counts", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    const user = await createIdentity(server);
    await addMember(server, b.account.account_id, user.iam_id); // B's user, added by the platform administrator
    expect((await putSettings(server, a.account.account_id, strict, { token: a.keys.administrator })).status).toBe(200);

    const before = {
      effective: await getIdentityEffectiveSettings(server, user.iam_id, { token: b.keys.viewer }),
      members: (await apiRequest(server, "GET", `/v1/accounts/${b.account.account_id}/members`, { token: b.keys.viewer })).body,
      settings: await getSettings(server, b.account.account_id, { token: b.keys.viewer }),
    };
    const invited = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.administrator });
    expect(invited.status).toBe(202);
    expect(invited.body).toMatchObject({ account_id: a.account.account_id, iam_id: user.iam_id, role: "viewer", state: "pending" });
    const expiresIn = Date.parse(invited.body.expires_at) - Date.parse(invited.body.created_at);
    expect(expiresIn).toBe(7 * 24 * 3600 * 1000);

    const after = {
      effective: await getIdentityEffectiveSettings(server, user.iam_id, { token: b.keys.viewer }),
      members: (await apiRequest(server, "GET", `/v1/accounts/${b.account.account_id}/members`, { token: b.keys.viewer })).body,
      settings: await getSettings(server, b.account.account_id, { token: b.keys.viewer }),
    };
    expect(after).toEqual(before);
    expect(after.effective.session_invalidation_in_seconds.value).toBe("7200");
    // A does not list the identity as a member, and cannot read it (it is in none of A's accounts yet).
    const aMembers = await apiRequest(server, "GET", `/v1/accounts/${a.account.account_id}/members`, { token: a.keys.viewer });
    expect(aMembers.body.members).toEqual([]);
    expect((await apiRequest(server, "GET", `/v1/identities/${user.iam_id}/effective_settings/identity`, { token: a.keys.owner })).status).toBe(404);
    // Nor can A (or B) answer for the identity.
    for (const token of [a.keys.owner, b.keys.owner]) {
      expect((await answer(server, user.iam_id, invited.body.invitation_id, "accept", token)).status).toBe(404);
      expect((await apiRequest(server, "GET", `/v1/identities/${user.iam_id}/invitations`, { token })).status).toBe(404);
    }

    // The identity declines: still nothing, and the invitation can never be accepted afterwards.
    const declined = await answer(server, user.iam_id, invited.body.invitation_id, "decline");
    expect(declined.status).toBe(200);
    expect(declined.body.state).toBe("declined");
    expect(await getIdentityEffectiveSettings(server, user.iam_id, { token: b.keys.viewer })).toEqual(before.effective);
    const late = await answer(server, user.iam_id, invited.body.invitation_id, "accept");
    expect(late.status).toBe(409);
    expect(late.body.errors[0].code).toBe("invitation_not_pending");
  });

  it("once the identity accepts, A's limits apply to it, and B sees the values but not A", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    const user = await createIdentity(server);
    await addMember(server, b.account.account_id, user.iam_id);
    await putSettings(server, a.account.account_id, strict, { token: a.keys.editor });
    const invited = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), {
      token: a.keys.owner,
      json: { role: "editor" },
    });
    expect(invited.status).toBe(202);
    const listed = await invitationsOf(server, user.iam_id);
    expect(listed.body.invitations.map((i: { invitation_id: string; state: string }) => [i.invitation_id, i.state])).toEqual([
      [invited.body.invitation_id, "pending"],
    ]);
    const accepted = await answer(server, user.iam_id, invited.body.invitation_id, "accept");
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ account_id: a.account.account_id, iam_id: user.iam_id, role: "editor" });

    // The platform administrator sees everything.
    const all = await getIdentityEffectiveSettings(server, user.iam_id);
    expect(all.accounts).toEqual([a.account.account_id, b.account.account_id].sort());
    expect(all.session_invalidation_in_seconds).toMatchObject({ value: "900", source: "account", source_id: a.account.account_id });
    // B: the value that applies to its member, but not A's id.
    const asB = await apiRequest(server, "GET", `/v1/identities/${user.iam_id}/effective_settings/identity`, { token: b.keys.viewer });
    expect(asB.status).toBe(200);
    expect(asB.text).not.toContain(a.account.account_id);
    expect(asB.body.accounts).toEqual([b.account.account_id, "(another account)"]);
    expect(asB.body.session_invalidation_in_seconds).toEqual({
      value: "900",
      source: "another_account",
      source_id: "(another account)",
      account_id: "(another account)",
    });
    // A value B's own account ties with is credited to B's account.
    await putSettings(server, b.account.account_id, { max_sessions_per_identity: "1" }, { token: b.keys.editor });
    const tie = await getIdentityEffectiveSettings(server, user.iam_id, { token: b.keys.viewer });
    expect(tie.max_sessions_per_identity).toEqual({ value: "1", source: "account", source_id: b.account.account_id, account_id: b.account.account_id });

    const members = await apiRequest(server, "GET", `/v1/accounts/${a.account.account_id}/members`, { token: a.keys.viewer });
    expect(members.body.members).toEqual([{ iam_id: user.iam_id, name: user.name, role: "editor" }]);

    // Removing the member takes effect at once.
    expect((await apiRequest(server, "DELETE", memberPath(a.account.account_id, user.iam_id), { token: a.keys.administrator })).status).toBe(204);
    const gone = await getIdentityEffectiveSettings(server, user.iam_id, { token: b.keys.viewer });
    expect(gone.accounts).toEqual([b.account.account_id]);
    expect(gone.session_invalidation_in_seconds.value).toBe("7200");
  });
});

describe("invitations", () => {
  it("the answer is the same whether or not the identity exists", async () => {
    const a = await createAccountWithKeys(server);
    const real = await createIdentity(server);
    const ghost = `ghost-${real.iam_id}`;
    const r1 = await apiRequest(server, "PUT", memberPath(a.account.account_id, real.iam_id), { token: a.keys.administrator });
    const r2 = await apiRequest(server, "PUT", memberPath(a.account.account_id, ghost), { token: a.keys.administrator });
    expect([r1.status, r2.status]).toEqual([202, 202]);
    const shape = (b: Record<string, unknown>) => ({ ...b, invitation_id: "x", iam_id: "x", created_at: "x", expires_at: "x" });
    expect(shape(r1.body)).toEqual(shape(r2.body));
    expect([...r1.headers.keys()].sort()).toEqual([...r2.headers.keys()].sort());
    // The account lists both, pending.
    const list = await apiRequest(server, "GET", `/v1/accounts/${a.account.account_id}/invitations`, { token: a.keys.viewer });
    expect(list.body.invitations.map((i: { iam_id: string; state: string }) => [i.iam_id, i.state])).toEqual([
      [real.iam_id, "pending"],
      [ghost, "pending"],
    ]);
  });

  it("inviting again renews the one pending invitation; the account revokes it; revoked never counts", async () => {
    const a = await createAccountWithKeys(server);
    const user = await createIdentity(server);
    const first = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner });
    const second = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner, json: { role: "administrator" } });
    expect(second.body.invitation_id).toBe(first.body.invitation_id);
    expect(second.body.role).toBe("administrator");
    const path = `/v1/accounts/${a.account.account_id}/invitations/${first.body.invitation_id}`;
    expect((await apiRequest(server, "DELETE", path, { token: a.keys.editor })).status).toBe(403);
    expect((await apiRequest(server, "DELETE", path, { token: a.keys.administrator })).status).toBe(204);
    expect((await apiRequest(server, "DELETE", path, { token: a.keys.administrator })).status).toBe(404);
    const late = await answer(server, user.iam_id, first.body.invitation_id, "accept");
    expect(late.status).toBe(409);
    expect((await apiRequest(server, "GET", `/v1/accounts/${a.account.account_id}/members`, { token: a.keys.viewer })).body.members).toEqual([]);
    // Another account cannot revoke it.
    const other = await createAccountWithKeys(server);
    const again = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner });
    expect(
      (await apiRequest(server, "DELETE", `/v1/accounts/${other.account.account_id}/invitations/${again.body.invitation_id}`, { token: other.keys.owner })).status,
    ).toBe(404);
  });

  it("expired invitations never count (IAMSESSION_INVITATION_TTL=1)", async () => {
    const a = await createAccountWithKeys(shortLived);
    const user = await createIdentity(shortLived);
    const invited = await apiRequest(shortLived, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner });
    expect(invited.status).toBe(202);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await answer(shortLived, user.iam_id, invited.body.invitation_id, "accept");
    expect(late.status).toBe(409);
    expect(late.body.errors[0].code).toBe("invitation_expired");
    const list = await invitationsOf(shortLived, user.iam_id);
    expect(list.body.invitations[0].state).toBe("expired");
    const eff = await getIdentityEffectiveSettings(shortLived, user.iam_id);
    expect(eff.accounts).toEqual([]);
  });

  it("a caller gives at most its own role, and changes only members not above it", async () => {
    const a = await createAccountWithKeys(server);
    const user = await createIdentity(server);
    const tooHigh = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.administrator, json: { role: "owner" } });
    expect(tooHigh.status).toBe(403);
    await addMember(server, a.account.account_id, user.iam_id);
    // The platform administrator adds directly and may set any role.
    const made = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: server.adminToken, json: { role: "owner" } });
    expect(made.body).toEqual({ account_id: a.account.account_id, iam_id: user.iam_id, role: "owner" });
    // An administrator may not demote or remove an owner member; an owner may.
    expect((await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.administrator, json: { role: "viewer" } })).status).toBe(403);
    expect((await apiRequest(server, "DELETE", memberPath(a.account.account_id, user.iam_id), { token: a.keys.administrator })).status).toBe(403);
    const demoted = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner, json: { role: "viewer" } });
    expect(demoted.status).toBe(200);
    expect(demoted.body.role).toBe("viewer");
    const bad = await apiRequest(server, "PUT", memberPath(a.account.account_id, user.iam_id), { token: a.keys.owner, json: { role: "god" } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].target).toEqual({ type: "field", name: "role" });
  });
});

describe("history names no tenant the caller cannot see", () => {
  it("after the account leaves its enterprise, the enterprise's changes show a marker to the account (not to the platform)", async () => {
    const a = await createAccountWithKeys(server);
    const ent = await createEnterprise(server);
    await linkAccount(server, a.account.account_id, ent.enterprise_id);
    const entKey = await createEnterpriseKey(server, ent.enterprise_id, "editor", { name: "ent ci" });
    expect((await putSettings(server, a.account.account_id, { max_sessions_per_identity: "3" }, { token: entKey.key })).status).toBe(200);
    const linked = await getSettings(server, a.account.account_id, { token: a.keys.viewer, includeHistory: true });
    expect(linked.history!.at(-1)!.changed_by).toEqual({
      key_id: entKey.id,
      iam_id: entKey.id,
      key_name: "ent ci",
      account_id: null,
      enterprise_id: ent.enterprise_id,
    });

    await unlinkAccount(server, a.account.account_id);
    const res = await apiRequest(server, "GET", `/v1/accounts/${a.account.account_id}/settings/identity?include_history=true`, { token: a.keys.viewer });
    expect(res.text).not.toContain(ent.enterprise_id);
    expect(res.text).not.toContain("ent ci");
    expect(res.body.history.at(-1).changed_by).toEqual({
      key_id: "(another enterprise)",
      iam_id: "(another enterprise)",
      key_name: "(another enterprise)",
      account_id: null,
      enterprise_id: "(another enterprise)",
    });
    const asPlatform = await getSettings(server, a.account.account_id, { includeHistory: true });
    expect(asPlatform.history!.at(-1)!.changed_by.enterprise_id).toBe(ent.enterprise_id);
  });
});
