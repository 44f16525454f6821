// The public contract: the OpenAPI document served without a token, an operationId on every operation, the
// interactive reference at /docs working from this server alone, Location on every 201, the caller's X-Request-Id
// kept, and the server enforcing exactly what the document states (If-Match syntax, path parameter patterns).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IF_MATCH_PATTERN } from "../../api/schemas.ts";
import { OPENAPI_JSON_PATH } from "../../scripts/generators/openapi.ts";
import {
  apiRequest,
  createAccount,
  createEnterprise,
  createIdentity,
  createTrustedProfile,
  settingsPath,
  startApiServer,
  trustedProfilesPath,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

const doc = () => JSON.parse(readFileSync(OPENAPI_JSON_PATH, "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch"];
const operations = () =>
  Object.entries<Record<string, any>>(doc().paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method] })),
  );

describe("the OpenAPI document", () => {
  it("is served without a token, as JSON, identical to schemas/openapi.json", async () => {
    const res = await fetch(`${server.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(doc());
  });

  it("gives every operation a unique operationId", () => {
    const ops = operations();
    expect(ops.length).toBeGreaterThanOrEqual(23);
    for (const { path, method, op } of ops) expect(op.operationId, `${method.toUpperCase()} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
    expect(new Set(ops.map((o) => o.op.operationId)).size).toBe(ops.length);
  });

  it("declares a required Location header on every 201, and a pattern on every path parameter", () => {
    for (const { path, method, op } of operations()) {
      if (op.responses["201"]) expect(op.responses["201"].headers?.Location, `${method} ${path}`).toMatchObject({ required: true });
      for (const p of op.parameters ?? []) if (p.in === "path") expect(p.schema.pattern, `${p.name} of ${method} ${path}`).toBeTruthy();
      // Every operation with a path parameter or a body can answer 400.
      if ((op.parameters ?? []).some((p: { in: string }) => p.in === "path") || op.requestBody) expect(op.responses).toHaveProperty("400");
    }
  });

  it("states If-Match's syntax as the server checks it", () => {
    const put = doc().paths["/v1/accounts/{account_id}/settings/identity"].put;
    const ifMatch = put.parameters.find((p: { name: string }) => p.name === "if-match");
    expect(ifMatch).toMatchObject({ in: "header", required: true, schema: { pattern: IF_MATCH_PATTERN } });
  });
});

describe("/docs, the interactive reference", () => {
  it("is a Swagger UI page whose every script and stylesheet is served by this server, under a same-origin CSP", async () => {
    const res = await fetch(`${server.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual(["/docs/assets/swagger-ui-dist/swagger-ui.css", "/docs/assets/swagger-ui-dist/swagger-ui-bundle.js", "/docs/assets/init.js"]);
    // No inline script (the CSP would block it); nothing from another origin.
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect(html).not.toMatch(/https?:\/\//);
    const dist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
    for (const ref of refs) {
      const asset = await fetch(`${server.url}${ref}`);
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get("content-type"), ref).toMatch(ref.endsWith(".css") ? /^text\/css/ : /^text\/javascript/);
      const body = Buffer.from(await asset.arrayBuffer());
      if (ref.includes("swagger-ui-dist")) expect(body.equals(readFileSync(join(dist, ref.split("/").pop()!))), ref).toBe(true);
    }
    const init = await (await fetch(`${server.url}/docs/assets/init.js`)).text();
    expect(init).toContain('"url": "/openapi.json"');
    expect(init).toContain('"validatorUrl": "none"');
  });

  it("serves nothing else of the package", async () => {
    for (const path of ["/docs/assets/swagger-ui-dist/package.json", "/docs/assets/swagger-ui-dist/..%2F..%2Fpackage.json", "/docs/assets/nope.js"]) {
      expect((await fetch(`${server.url}${path}`)).status, path).toBe(404);
    }
  });
});

describe("headers", () => {
  it("every 201 carries the created resource's path in Location", async () => {
    const admin = (method: string, path: string, json?: unknown) => apiRequest(server, method, path, { token: server.adminToken, json });
    const acct = `loc-${Date.now().toString(36)}`;
    const a = await admin("POST", "/v1/accounts", { account_id: acct, name: "x" });
    expect(a.status).toBe(201);
    expect(a.headers.get("location")).toBe(`/v1/accounts/${acct}`);
    const key = await admin("POST", `/v1/accounts/${acct}/api_keys`, { role: "viewer" });
    expect(key.headers.get("location")).toBe(`/v1/accounts/${acct}/api_keys/${key.body.id}`);
    const ent = await admin("POST", "/v1/enterprises", { name: "e" });
    expect(ent.headers.get("location")).toBe(`/v1/enterprises/${ent.body.enterprise_id}`);
    const entKey = await admin("POST", `/v1/enterprises/${ent.body.enterprise_id}/api_keys`, { role: "viewer" });
    expect(entKey.headers.get("location")).toBe(`/v1/enterprises/${ent.body.enterprise_id}/api_keys/${entKey.body.id}`);
    const who = await admin("POST", "/v1/identities", { name: "i" });
    expect(who.headers.get("location")).toBe(`/v1/identities/${who.body.iam_id}`);
    const profile = await admin("POST", trustedProfilesPath(acct), { name: "p" });
    const location = profile.headers.get("location")!;
    expect(location).toBe(trustedProfilesPath(acct, profile.body.profile_id));
    expect((await admin("GET", location)).body).toEqual(profile.body);
  });

  it("keeps a well-formed X-Request-Id (header and error trace), replaces any other", async () => {
    const kept = await apiRequest(server, "GET", "/v1/accounts/nope/settings/identity", { token: server.adminToken, headers: { "x-request-id": "ci-run_42=a" } });
    expect(kept.headers.get("x-request-id")).toBe("ci-run_42=a");
    expect(kept.body.trace).toBe("ci-run_42=a");
    for (const bad of ["has space", "x".repeat(129), "semi;colon", "slash/x"]) {
      const res = await fetch(`${server.url}/health`, { headers: { "x-request-id": bad } });
      expect(res.headers.get("x-request-id"), bad).toMatch(/^[0-9a-f]{24}$/);
    }
    expect((await fetch(`${server.url}/health`)).headers.get("x-request-id")).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe("the server enforces what the document states", () => {
  it("a malformed If-Match is 400 invalid_header, on every conditional write", async () => {
    const { account_id: acct } = await createAccount(server);
    const profile = await createTrustedProfile(server, acct);
    for (const [method, path, json] of [
      ["PUT", settingsPath(acct), {}],
      ["PUT", trustedProfilesPath(acct, profile.profile_id), {}],
      ["DELETE", trustedProfilesPath(acct, profile.profile_id), undefined],
    ] as const) {
      for (const bad of ['"unterminated', "two words", '"a" "b"']) {
        const res = await apiRequest(server, method, path, { token: server.adminToken, json, headers: { "if-match": bad } });
        expect(res.status, `${method} ${path} If-Match: ${bad}`).toBe(400);
        expect(res.body.errors[0]).toMatchObject({ code: "invalid_header", target: { type: "header", name: "If-Match" } });
      }
    }
    // Still there: nothing was changed or deleted.
    expect((await apiRequest(server, "GET", trustedProfilesPath(acct, profile.profile_id), { token: server.adminToken })).status).toBe(200);
    // Well-formed: quoted, bare, a list, a weak tag (never matches), "*".
    const settings = (await apiRequest(server, "GET", settingsPath(acct), { token: server.adminToken })).body;
    for (const ok of [`"${settings.entity_tag}"`, settings.entity_tag, `W/"x", "${settings.entity_tag}"`, "*"]) {
      const res = await apiRequest(server, "PUT", settingsPath(acct), { token: server.adminToken, json: {}, headers: { "if-match": ok } });
      expect(res.status, ok).toBe(200);
    }
    expect((await apiRequest(server, "PUT", settingsPath(acct), { token: server.adminToken, json: {}, headers: { "if-match": 'W/"x"' } })).status).toBe(412);
  });

  it("a path parameter outside its declared pattern is 400 invalid_parameter naming it (404 where the access rule already finds no such parent)", async () => {
    const { account_id: acct } = await createAccount(server);
    const { enterprise_id: ent } = await createEnterprise(server);
    const { iam_id: iam } = await createIdentity(server);
    for (const [method, path, name] of [
      ["DELETE", `/v1/accounts/${acct}/members/%C2%84`, "iam_id"],
      ["PUT", `/v1/accounts/${acct}/members/${"a".repeat(129)}`, "iam_id"],
      ["GET", trustedProfilesPath(acct, "Profile-XYZ"), "profile_id"],
    ] as const) {
      const res = await apiRequest(server, method, path, { token: server.adminToken });
      expect(res.status, `${method} ${path}`).toBe(400);
      expect(res.body.errors[0], `${method} ${path}`).toMatchObject({ code: "invalid_parameter", target: { type: "parameter", name } });
    }
    // The access rule runs first: an account or enterprise id outside the pattern names nothing visible, so 404.
    for (const path of ["/v1/accounts/UPPER/settings/identity", "/v1/enterprises/-x/settings/identity", `/v1/identities/${iam}.%20x/effective_settings/identity`]) {
      const res = await apiRequest(server, "GET", path, { token: server.adminToken });
      expect(res.status, path).toBe(404);
      expect(res.body.errors[0].code).toBe("not_found");
    }
    expect((await apiRequest(server, "GET", `/v1/enterprises/${ent}/settings/identity`, { token: server.adminToken })).status).toBe(200);
  });

  it("a name's length is counted in code points, as the document's maxLength counts it", async () => {
    const max = doc().components.schemas.CreateTrustedProfileRequest.properties.name.maxLength;
    const { account_id: acct } = await createAccount(server);
    const post = (name: string) => apiRequest(server, "POST", trustedProfilesPath(acct), { token: server.adminToken, json: { name } });
    expect((await post("😀".repeat(max))).status).toBe(201);
    const over = await post("😀".repeat(max + 1));
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({ code: "invalid_field", target: { type: "field", name: "name" } });
  });

  it("a setting value the document's pattern refuses is refused, and one it allows is accepted", async () => {
    const { account_id: acct } = await createAccount(server);
    const pattern = new RegExp(doc().components.schemas.IdentitySettingsUpdate.properties.session_invalidation_in_seconds.pattern);
    for (const v of ["899", "900", "7200", "7201", "NOT_SET", "0900"]) {
      const res = await apiRequest(server, "PUT", settingsPath(acct), { token: server.adminToken, json: { session_invalidation_in_seconds: v }, headers: { "if-match": "*" } });
      expect(res.status === 200, v).toBe(pattern.test(v));
    }
  });
});

describe("GET /v1/accounts/{account_id}, where a new account's Location points", () => {
  it("answers the account to a key that may read it, and 404 to another account's key, as for an unknown one", async () => {
    const created = await apiRequest(server, "POST", "/v1/accounts", { token: server.adminToken, json: { name: "located" } });
    expect(created.status).toBe(201);
    const location = created.headers.get("location")!;
    const read = await apiRequest(server, "GET", location, { token: server.adminToken });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const other = await createAccount(server);
    const otherKey = (await apiRequest(server, "POST", `/v1/accounts/${other.account_id}/api_keys`, { token: server.adminToken, json: { role: "viewer" } })).body.key;
    expect((await apiRequest(server, "GET", location, { token: otherKey })).status).toBe(404);
    expect((await apiRequest(server, "GET", "/v1/accounts/no-such-account", { token: server.adminToken })).status).toBe(404);
  });
});
