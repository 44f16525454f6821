// The HTTP contract around the settings: accounts, If-Match/ETag, history, and 4xx (never 5xx) for caller mistakes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiRequest,
  createAccount,
  createApiKey,
  getSettings,
  putSettings,
  settingsPath,
  startApiServer,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
let accountId: string;

beforeAll(async () => {
  server = await startApiServer();
  accountId = (await createAccount(server)).account_id;
});
afterAll(async () => {
  await server?.dispose();
});

const admin = () => server.adminToken;

describe("GET /health", () => {
  it("answers ok without a token", async () => {
    const res = await apiRequest(server, "GET", "/health");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe("POST /v1/accounts", () => {
  it("creates an account whose settings are all NOT_SET", async () => {
    const res = await apiRequest(server, "POST", "/v1/accounts", { token: admin(), json: { account_id: "new-acct_1", name: "New" } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ account_id: "new-acct_1", name: "New", created_at: expect.any(String) });
    expect(new Date(res.body.created_at).toISOString()).toBe(res.body.created_at);
    const s = await getSettings(server, "new-acct_1", { includeHistory: true });
    expect(s).toEqual({
      account_id: "new-acct_1",
      session_expiration_in_seconds: "NOT_SET",
      session_invalidation_in_seconds: "NOT_SET",
      max_sessions_per_identity: "NOT_SET",
      max_sessions_exceeded_action: "NOT_SET",
      entity_tag: expect.stringMatching(/^[0-9a-f]{32}$/),
      updated_at: res.body.created_at,
      history: [],
      history_next_cursor: null,
    });
  });

  it("generates 32 hex digits when account_id is omitted", async () => {
    const res = await apiRequest(server, "POST", "/v1/accounts", { token: admin(), json: { name: "Generated" } });
    expect(res.status).toBe(201);
    expect(res.body.account_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it("answers 409 for an existing account_id and changes nothing", async () => {
    const res = await apiRequest(server, "POST", "/v1/accounts", { token: admin(), json: { account_id: accountId, name: "Again" } });
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ code: "conflict", target: { type: "field", name: "account_id" } });
  });

  it.each([
    ["an upper-case id", { account_id: "Acme", name: "x" }, "account_id"],
    ["an id starting with -", { account_id: "-acme", name: "x" }, "account_id"],
    ["a 65-character id", { account_id: "a".repeat(65), name: "x" }, "account_id"],
    ["a missing name", { account_id: "ok" }, "name"],
    ["an empty name", { account_id: "ok", name: "" }, "name"],
    ["an unknown field", { account_id: "ok", name: "x", owner: "me" }, "owner"],
  ])("answers 400 for %s", async (_why, json, field) => {
    const res = await apiRequest(server, "POST", "/v1/accounts", { token: admin(), json });
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { target: { name: string } }) => e.target.name)).toContain(field);
  });

  it("answers 400 for an unknown role on a new key", async () => {
    const res = await apiRequest(server, "POST", `/v1/accounts/${accountId}/api_keys`, { token: admin(), json: { role: "root" } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toContain("viewer, editor, administrator, owner");
  });
});

describe("If-Match and ETag", () => {
  it("GET sends the entity_tag, quoted, as ETag", async () => {
    const res = await apiRequest(server, "GET", settingsPath(accountId), { token: admin() });
    expect(res.headers.get("etag")).toBe(`"${res.body.entity_tag}"`);
  });

  it("answers 428 without If-Match and changes nothing", async () => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const res = await putSettings(server, accountId, { session_expiration_in_seconds: "1200" }, { ifMatch: null });
    expect(res.status).toBe(428);
    expect(res.body.errors[0]!.target).toEqual({ type: "header", name: "If-Match" });
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });

  it("answers 412 for a stale tag and changes nothing", async () => {
    const first = await getSettings(server, accountId);
    const ok = await putSettings(server, accountId, { session_expiration_in_seconds: "1300" }, { ifMatch: `"${first.entity_tag}"` });
    expect(ok.status).toBe(200);
    expect(ok.body.entity_tag).not.toBe(first.entity_tag);
    expect(ok.headers.get("etag")).toBe(`"${ok.body.entity_tag}"`);
    const before = await getSettings(server, accountId, { includeHistory: true });
    const stale = await putSettings(server, accountId, { session_expiration_in_seconds: "1400" }, { ifMatch: `"${first.entity_tag}"` });
    expect(stale.status).toBe(412);
    expect(stale.body.errors[0]).toMatchObject({ code: "precondition_failed", target: { type: "header", name: "If-Match" } });
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });

  it("accepts the tag quoted, unquoted, in a list, or *; a weak tag never matches", async () => {
    let tag = (await getSettings(server, accountId)).entity_tag;
    for (const [ifMatch, value] of [
      [`"${tag}"`, "1501"],
      ["<unquoted>", "1502"],
      ['"nope", "<tag>"', "1503"],
      ["*", "1504"],
    ] as const) {
      const header = ifMatch === "<unquoted>" ? tag : ifMatch.replace("<tag>", tag);
      const res = await putSettings(server, accountId, { session_expiration_in_seconds: value }, { ifMatch: header });
      expect(res.status, `${header}: ${res.text}`).toBe(200);
      tag = res.body.entity_tag;
    }
    const weak = await putSettings(server, accountId, { session_expiration_in_seconds: "1600" }, { ifMatch: `W/"${tag}"` });
    expect(weak.status).toBe(412);
  });

  it("an update that changes nothing keeps the entity_tag and adds no history", async () => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const same = await putSettings(server, accountId, { session_expiration_in_seconds: before.session_expiration_in_seconds }, { ifMatch: before.entity_tag });
    expect(same.status).toBe(200);
    expect(same.body.entity_tag).toBe(before.entity_tag);
    const empty = await putSettings(server, accountId, {}, { ifMatch: before.entity_tag });
    expect(empty.status).toBe(200);
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });
});

describe("history", () => {
  it("records who, when, and the old and new values, oldest first", async () => {
    const acct = (await createAccount(server)).account_id;
    const editor = await createApiKey(server, acct, "editor", { name: "tf-ci" });
    const r1 = await putSettings(server, acct, { session_invalidation_in_seconds: "1800" }, { token: editor.key });
    const r2 = await putSettings(server, acct, { session_invalidation_in_seconds: "NOT_SET", max_sessions_per_identity: "2" });
    expect([r1.status, r2.status]).toEqual([200, 200]);
    const s = await getSettings(server, acct, { includeHistory: true });
    const unset = {
      session_expiration_in_seconds: "NOT_SET",
      session_invalidation_in_seconds: "NOT_SET",
      max_sessions_per_identity: "NOT_SET",
      max_sessions_exceeded_action: "NOT_SET",
    };
    expect(s.history).toEqual([
      {
        version: 2,
        changed_at: r1.body.updated_at,
        changed_by: { key_id: editor.id, iam_id: editor.id, key_name: "tf-ci", account_id: acct, enterprise_id: null },
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
        new: { ...unset, max_sessions_per_identity: "2" },
      },
    ]);
    const without = await apiRequest(server, "GET", settingsPath(acct), { token: admin() });
    expect(without.body).not.toHaveProperty("history");
  });

  it("answers 400 for include_history other than true/false", async () => {
    const res = await apiRequest(server, "GET", `${settingsPath(accountId)}?include_history=yes`, { token: admin() });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].target).toEqual({ type: "parameter", name: "include_history" });
  });
});

describe("caller mistakes are 4xx in the error format", () => {
  const put = (init: { body?: string; headers?: Record<string, string> }) =>
    apiRequest(server, "PUT", settingsPath(accountId), {
      token: admin(),
      rawBody: init.body,
      headers: { "if-match": "*", ...init.headers },
    });

  it.each([
    ["malformed JSON", { body: '{"session_expiration_in_seconds": "900"', headers: { "content-type": "application/json" } }, 400, "malformed_json"],
    ["a text/plain body", { body: "{}", headers: { "content-type": "text/plain" } }, 415, "unsupported_media_type"],
    ["a form body", { body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } }, 415, "unsupported_media_type"],
    ["no content type", { body: "{}" }, 415, "unsupported_media_type"],
    ["no body at all", {}, 415, "unsupported_media_type"],
    ["a 17 KiB body", { body: JSON.stringify({ x: "a".repeat(17 * 1024) }), headers: { "content-type": "application/json" } }, 413, "payload_too_large"],
  ])("%s", async (_why, init, status, code) => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const res = await put(init);
    expect(res.status, res.text).toBe(status);
    expect(res.body).toEqual({ errors: [expect.objectContaining({ code })], status_code: status, trace: res.headers.get("x-request-id") });
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });

  it("answers 413 for an oversized body sent without Content-Length (chunked)", async () => {
    const chunk = new TextEncoder().encode(`{"x":"${"a".repeat(20 * 1024)}"}`);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(chunk);
        controller.close();
      },
    });
    const res = await fetch(`${server.url}${settingsPath(accountId)}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin()}`, "content-type": "application/json", "if-match": "*" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { errors: Array<{ code: string }> }).errors[0]!.code).toBe("payload_too_large");
  });

  it("accepts application/json with a charset", async () => {
    const res = await put({ body: "{}", headers: { "content-type": "application/json; charset=utf-8" } });
    expect(res.status).toBe(200);
  });

  it("answers 404 in the error format for an unknown route", async () => {
    const res = await apiRequest(server, "GET", "/v2/nothing");
    expect(res.status).toBe(404);
    expect(res.body.errors[0].code).toBe("not_found");
  });

  it("answers 405 with Allow for a known route and another method", async () => {
    const res = await apiRequest(server, "DELETE", settingsPath(accountId), { token: admin() });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, HEAD, PUT");
  });

  it("never logs keys, and logs one line per request with method, path and status", async () => {
    const key = await createApiKey(server, accountId, "viewer");
    await apiRequest(server, "GET", settingsPath(accountId), { token: key.key });
    await apiRequest(server, "GET", "/health", { token: "iams_secret-looking-but-bad" });
    await new Promise((r) => setTimeout(r, 100));
    const log = server.stderr();
    expect(log).not.toContain(key.key);
    expect(log).not.toContain(server.adminToken);
    expect(log).not.toContain("secret-looking");
    expect(log).toMatch(new RegExp(`GET /v1/accounts/${accountId}/settings/identity 200 [0-9.]+ms`));
    expect(server.stdout()).not.toContain(server.adminToken);
  });
});
