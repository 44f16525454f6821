// The authorisation matrix: every route × every kind of caller, with the status each must get.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  apiRequest,
  type ApiResponse,
  createAccountWithKeys,
  settingsPath,
  startApiServer,
  type ApiServer,
  type Role,
} from "../helpers/api-server.ts";

type Caller = "no token" | "bad token" | Role | "other account's owner" | "platform admin";
const CALLERS: Caller[] = ["no token", "bad token", "viewer", "editor", "administrator", "owner", "other account's owner", "platform admin"];

let server: ApiServer;
let accountId: string;
const tokens = {} as Record<Caller, string | undefined>;

beforeAll(async () => {
  server = await startApiServer();
  const mine = await createAccountWithKeys(server);
  const other = await createAccountWithKeys(server);
  accountId = mine.account.account_id;
  Object.assign(tokens, mine.keys, {
    "no token": undefined,
    "bad token": "iams_thisIsNotAKeyThatExists0000000000000000000",
    "other account's owner": other.keys.owner,
    "platform admin": server.adminToken,
  });
});
afterAll(async () => {
  await server?.dispose();
});

let seq = 0;
interface RouteCase {
  name: string;
  request(token: string | undefined): Promise<ApiResponse>;
  expected: Record<Caller, number>;
}

const ROUTES: RouteCase[] = [
  {
    name: "GET /health",
    request: (token) => apiRequest(server, "GET", "/health", { token }),
    expected: { "no token": 200, "bad token": 200, viewer: 200, editor: 200, administrator: 200, owner: 200, "other account's owner": 200, "platform admin": 200 },
  },
  {
    name: "GET /openapi.json",
    request: (token) => apiRequest(server, "GET", "/openapi.json", { token }),
    // Public, so Swagger, Postman and code generators can import it by URL; it describes routes, not data.
    expected: { "no token": 200, "bad token": 200, viewer: 200, editor: 200, administrator: 200, owner: 200, "other account's owner": 200, "platform admin": 200 },
  },
  {
    name: "POST /v1/accounts",
    request: (token) => apiRequest(server, "POST", "/v1/accounts", { token, json: { account_id: `authz-${++seq}`, name: "x" } }),
    expected: { "no token": 401, "bad token": 401, viewer: 403, editor: 403, administrator: 403, owner: 403, "other account's owner": 403, "platform admin": 201 },
  },
  {
    name: "POST /v1/accounts/{account_id}/api_keys",
    request: (token) => apiRequest(server, "POST", `/v1/accounts/${accountId}/api_keys`, { token, json: { role: "viewer" } }),
    expected: { "no token": 401, "bad token": 401, viewer: 403, editor: 403, administrator: 403, owner: 201, "other account's owner": 404, "platform admin": 201 },
  },
  {
    name: "GET /v1/accounts/{account_id}/settings/identity",
    request: (token) => apiRequest(server, "GET", settingsPath(accountId, true), { token }),
    expected: { "no token": 401, "bad token": 401, viewer: 200, editor: 200, administrator: 200, owner: 200, "other account's owner": 404, "platform admin": 200 },
  },
  {
    name: "PUT /v1/accounts/{account_id}/settings/identity",
    request: (token) =>
      apiRequest(server, "PUT", settingsPath(accountId), {
        token,
        json: { max_sessions_per_identity: String(++seq) },
        headers: { "if-match": "*" },
      }),
    expected: { "no token": 401, "bad token": 401, viewer: 403, editor: 200, administrator: 200, owner: 200, "other account's owner": 404, "platform admin": 200 },
  },
];

describe.each(ROUTES.map((r) => [r.name, r] as const))("%s", (_name, route) => {
  it.each(CALLERS)("as %s", async (caller) => {
    const res = await route.request(tokens[caller]);
    expect(res.status, res.text).toBe(route.expected[caller]);
    if (res.status >= 400) {
      expect(res.body.status_code).toBe(res.status);
      expect(res.body.trace).toBe(res.headers.get("x-request-id"));
    }
    if (res.status === 401) expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });
});

describe("visibility", () => {
  it("another account's key gets the same 404 for an existing account as for a missing one", async () => {
    const token = tokens["other account's owner"];
    for (const [method, suffix, json] of [
      ["GET", "/settings/identity", undefined],
      ["PUT", "/settings/identity", { bogus: 1 }],
      ["POST", "/api_keys", { role: "nonsense" }],
    ] as const) {
      const hidden = await apiRequest(server, method, `/v1/accounts/${accountId}${suffix}`, { token, json, headers: { "if-match": "*" } });
      const missing = await apiRequest(server, method, `/v1/accounts/no-such-account${suffix}`, { token, json, headers: { "if-match": "*" } });
      expect(hidden.status).toBe(404);
      expect(missing.status).toBe(404);
      const strip = (b: { errors: Array<{ message: string }> }, id: string) =>
        b.errors.map((e) => ({ ...e, message: e.message.replace(id, "<id>") }));
      expect(strip(hidden.body, accountId)).toEqual(strip(missing.body, "no-such-account"));
    }
  });

  it("the platform admin gets 404 for a missing account", async () => {
    const res = await apiRequest(server, "GET", settingsPath("no-such-account"), { token: server.adminToken });
    expect(res.status).toBe(404);
    expect(res.body.errors[0]).toMatchObject({ code: "not_found", target: { type: "parameter", name: "account_id" } });
  });

  it("an owner's new key works and belongs to the owner's account", async () => {
    const created = await apiRequest(server, "POST", `/v1/accounts/${accountId}/api_keys`, {
      token: tokens.owner,
      json: { role: "editor", name: "ci" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "ci", role: "editor", account_id: accountId });
    expect(created.body.id).toMatch(/^ApiKey-[0-9a-f]{16}$/);
    expect(created.body.key).toMatch(/^iams_[A-Za-z0-9_-]{43}$/);
    expect(created.headers.get("cache-control")).toBe("no-store");
    const res = await apiRequest(server, "GET", settingsPath(accountId), { token: created.body.key });
    expect(res.status).toBe(200);
  });

  it.each([
    ["no Bearer scheme", "Basic abc"],
    ["an empty token", "Bearer "],
    ["a token with spaces", "Bearer a b"],
  ])("401 for a malformed Authorization header (%s)", async (_why, header) => {
    const res = await apiRequest(server, "GET", settingsPath(accountId), { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });
});
