// Idempotency-Key on every POST (issue #12): a replay gets the same answer and writes nothing; the same key with
// another request gets 422; a duplicate sent while the first is still being processed gets 409; keys are scoped to
// the calling API key; records survive a restart.
import { randomBytes, randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../api/db/database.ts";
import { IDEMPOTENCY_TTL_MS, IdempotencyStore } from "../../api/db/idempotency.ts";
import {
  apiRequest,
  createAccountWithKeys,
  createEnterprise,
  createIdentity,
  memberPath,
  trustedProfilesPath,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;

beforeAll(async () => {
  server = await startApiServer({ env: { IAMSESSION_WRITE_BUDGET_MS: "20000" } });
});
afterAll(async () => {
  await server?.dispose();
});

const key = () => `"${randomUUID()}"`;

function post(path: string, json: unknown, token: string | undefined, idempotencyKey?: string) {
  return apiRequest(server, "POST", path, { token, json, headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {} });
}

async function profileIds(accountId: string, token: string): Promise<string[]> {
  const res = await apiRequest(server, "GET", trustedProfilesPath(accountId), { token });
  return (res.body.trusted_profiles as { profile_id: string }[]).map((p) => p.profile_id);
}

describe("a POST retried with the same Idempotency-Key", () => {
  it("gets the same answer, marked as a replay, and creates nothing more", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const k = key();
    const first = await post(trustedProfilesPath(account.account_id), { name: "ci" }, keys.editor, k);
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    for (let i = 0; i < 3; i++) {
      const again = await post(trustedProfilesPath(account.account_id), { name: "ci" }, keys.editor, k);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(again.headers.get("idempotent-replayed")).toBe("true");
    }
    expect(await profileIds(account.account_id, keys.viewer)).toEqual([first.body.profile_id]);
  });

  it("with another body, another path or another method's body: 422, and nothing is written", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const k = key();
    expect((await post(trustedProfilesPath(account.account_id), { name: "one" }, keys.editor, k)).status).toBe(201);
    const other = await post(trustedProfilesPath(account.account_id), { name: "two" }, keys.editor, k);
    expect(other.status).toBe(422);
    expect(other.body.errors[0]).toMatchObject({ code: "idempotency_key_reused", target: { type: "header", name: "Idempotency-Key" } });
    expect(await profileIds(account.account_id, keys.viewer)).toHaveLength(1);
  });

  it("is scoped to the calling API key: another key's same Idempotency-Key is a new request", async () => {
    const a = await createAccountWithKeys(server);
    const b = await createAccountWithKeys(server);
    const k = key();
    const mine = await post(trustedProfilesPath(a.account.account_id), { name: "p" }, a.keys.editor, k);
    expect(mine.status).toBe(201);
    // Another tenant, same key, same path: 404 like any other request on an account it cannot see, never a replay.
    const theirs = await post(trustedProfilesPath(a.account.account_id), { name: "p" }, b.keys.owner, k);
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    // Another key of the same account: its own request.
    const colleague = await post(trustedProfilesPath(a.account.account_id), { name: "p" }, a.keys.owner, k);
    expect(colleague.status).toBe(201);
    expect(colleague.body.profile_id).not.toBe(mine.body.profile_id);
  });

  it("a malformed key is refused with 400 before anything is written", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    for (const bad of ['"', '""', `"${"x".repeat(256)}"`, '"a"b"', "sp ace", '"tab\t"']) {
      const res = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, bad);
      expect(res.status, bad).toBe(400);
      expect(res.body.errors[0].code).toBe("invalid_idempotency_key");
    }
    expect(await profileIds(account.account_id, keys.viewer)).toEqual([]);
  });

  it("a request refused before its write (400) records nothing: the same key works once the body is fixed", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const k = key();
    const bad = await post(trustedProfilesPath(account.account_id), { name: "p", session_duration_in_seconds: "1" }, keys.editor, k);
    expect(bad.status).toBe(400);
    // Same key, corrected body: the earlier request wrote nothing and left no record.
    const good = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
    expect(good.status).toBe(201);
  });

  it("a duplicate that arrives while the first is still being processed gets 409; the first completes once", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const k = key();
    // Hold the write lock, so the first request waits in the writer (within its budget) while the second arrives.
    const holder = new Database(server.dbPath);
    holder.exec("BEGIN IMMEDIATE");
    let first;
    try {
      first = post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
      await new Promise((r) => setTimeout(r, 300));
      const second = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
      expect(second.status).toBe(409);
      expect(second.body.errors[0].code).toBe("idempotency_key_in_use");
    } finally {
      holder.exec("COMMIT");
      holder.close();
    }
    expect((await first).status).toBe(201);
    const replay = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await profileIds(account.account_id, keys.viewer)).toHaveLength(1);
  });

  it("is remembered across a restart", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const k = key();
    const first = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
    await server.restart();
    const again = await post(trustedProfilesPath(account.account_id), { name: "p" }, keys.editor, k);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("every POST of the API honours Idempotency-Key", () => {
  it("each POST operation in /openapi.json, sent twice with one key, writes once and replays the answer", async () => {
    const { account, keys } = await createAccountWithKeys(server);
    const enterprise = await createEnterprise(server);
    const suffix = randomBytes(4).toString("hex");
    // Two pending invitations of one identity (an account administrator's PUT member invites), to accept and decline.
    const invitee = await createIdentity(server);
    const invite = async () => {
      const { account, keys: k } = await createAccountWithKeys(server);
      const res = await apiRequest(server, "PUT", memberPath(account.account_id, invitee.iam_id), { token: k.administrator });
      expect(res.status, res.text).toBe(202);
      return res.body.invitation_id as string;
    };
    const [toAccept, toDecline] = [await invite(), await invite()];
    // A valid request for each POST; a POST added to the API without an entry here fails this test.
    const requests: Record<string, { path: string; body: unknown; token: string; status?: number }> = {
      "/v1/accounts": { path: "/v1/accounts", body: { account_id: `idem-${suffix}`, name: "idem" }, token: server.adminToken },
      "/v1/accounts/{account_id}/api_keys": { path: `/v1/accounts/${account.account_id}/api_keys`, body: { role: "viewer" }, token: keys.owner },
      "/v1/enterprises": { path: "/v1/enterprises", body: { enterprise_id: `idem-${suffix}`, name: "idem" }, token: server.adminToken },
      "/v1/enterprises/{enterprise_id}/api_keys": {
        path: `/v1/enterprises/${enterprise.enterprise_id}/api_keys`,
        body: { role: "viewer" },
        token: server.adminToken,
      },
      "/v1/identities": { path: "/v1/identities", body: { iam_id: `iam-idem-${suffix}`, name: "idem" }, token: server.adminToken },
      "/v1/accounts/{account_id}/trusted_profiles": { path: trustedProfilesPath(account.account_id), body: { name: "idem" }, token: keys.editor },
      "/v1/identities/{iam_id}/invitations/{invitation_id}/accept": {
        path: `/v1/identities/${invitee.iam_id}/invitations/${toAccept}/accept`,
        body: undefined,
        token: server.adminToken,
        status: 200,
      },
      "/v1/identities/{iam_id}/invitations/{invitation_id}/decline": {
        path: `/v1/identities/${invitee.iam_id}/invitations/${toDecline}/decline`,
        body: undefined,
        token: server.adminToken,
        status: 200,
      },
      "/v1/identities/{iam_id}/api_keys": { path: `/v1/identities/${invitee.iam_id}/api_keys`, body: { name: "idem" }, token: server.adminToken },
      "/v1/accounts/{account_id}/federation_keys": { path: `/v1/accounts/${account.account_id}/federation_keys`, body: { name: "idem" }, token: keys.owner },
    };
    // The public POSTs (a login, a token request) answer a secret that is never stored: they refuse a key, and say why.
    const publicRequests: Record<string, { path: string; body: unknown }> = {
      "/v1/sessions": { path: "/v1/sessions", body: { account_id: account.account_id, channel: "cli", api_key: "iams_not-a-real-key" } },
      "/v1/tokens": { path: "/v1/tokens", body: { account_id: account.account_id, api_key: "iams_not-a-real-key" } },
    };
    const doc = (await apiRequest(server, "GET", "/openapi.json", { token: server.adminToken })).body;
    const posts = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([, item]) => "post" in item)
      .map(([path]) => path);
    expect(posts.sort()).toEqual([...Object.keys(requests), ...Object.keys(publicRequests)].sort());
    for (const [path, r] of Object.entries(publicRequests)) {
      expect((doc.paths[path].post.parameters ?? []).map((p: { name: string }) => p.name), path).not.toContain("Idempotency-Key");
      const res = await post(r.path, r.body, undefined, key());
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      expect(res.body.errors[0]).toMatchObject({ code: "idempotency_key_not_supported", target: { type: "header", name: "Idempotency-Key" } });
    }
    for (const path of posts.filter((p) => !(p in publicRequests))) {
      const op = doc.paths[path].post;
      expect(op.parameters.map((p: { name: string }) => p.name), path).toContain("Idempotency-Key");
      const r = requests[path]!;
      const k = key();
      const first = await post(r.path, r.body, r.token, k);
      expect(first.status, `${path}: ${first.text}`).toBe(r.status ?? 201);
      const again = await post(r.path, r.body, r.token, k);
      expect(again.status, `${path}: ${again.text}`).toBe(r.status ?? 201);
      expect(again.headers.get("idempotent-replayed"), path).toBe("true");
      // A created API key is shown once: only its hash is stored, so the replay names it but cannot show it.
      const { key: secret, ...rest } = first.body as Record<string, unknown>;
      if (path.endsWith("/api_keys") || path.endsWith("/federation_keys")) {
        expect(typeof secret).toBe("string");
        expect(again.body).toEqual(rest);
      } else {
        expect(again.body, path).toEqual(first.body);
      }
    }
  });
});

describe("the record store", () => {
  it("forgets a key after 24 hours (and purge removes it)", () => {
    const db = openDatabase(":memory:");
    const store = new IdempotencyStore(db);
    const t0 = Date.UTC(2026, 0, 1);
    store.put({ callerKeyId: "ApiKey-1", key: "k", fingerprint: "f" }, { a: 1 }, t0);
    expect(store.get("ApiKey-1", "k", t0 + IDEMPOTENCY_TTL_MS - 1)?.outcome).toBe('{"a":1}');
    expect(store.get("ApiKey-2", "k", t0)).toBeUndefined();
    expect(store.get("ApiKey-1", "k", t0 + IDEMPOTENCY_TTL_MS)).toBeUndefined();
    expect(store.purge(t0 + IDEMPOTENCY_TTL_MS)).toBe(1);
    db.close();
  });
});
