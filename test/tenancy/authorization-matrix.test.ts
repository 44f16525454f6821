// The authorisation matrix, GENERATED from the served OpenAPI document (issue #11): every operation that takes a
// Bearer credential — including routes added after this test was written — is called by every kind of caller that
// must not get in, and must answer as docs/api.md "Tenancy and keys" says:
//   no key, a malformed key, a revoked key, an expired key                       -> 401
//   each role of another account, each role of another enterprise's key:
//     a path naming an account, an enterprise or an identity ({account_id}, {enterprise_id}, {iam_id}) -> 404
//     any other path (the platform administrator's routes)                      -> 403 (401 if it takes another credential)
// and never 2xx. Requests carry a VALID body (built from the operation's own schema) and If-Match: *, so a missing
// check would show as a success, not hide behind a 400.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiRequest,
  createAccount,
  createApiKey,
  createEnterprise,
  createEnterpriseKey,
  createIdentity,
  createTrustedProfile,
  linkAccount,
  memberPath,
  ROLES,
  startApiServer,
  type ApiServer,
  type Role,
} from "../helpers/api-server.ts";

type Schema = Record<string, any>;
interface Operation {
  method: string;
  path: string;
  op: Schema;
}

let server: ApiServer;
let doc: Schema;
const ids: Record<string, string> = {};
const callers: Array<{ name: string; authorization: string | undefined; kind: "unauthenticated" | "other tenant" }> = [];

beforeAll(async () => {
  server = await startApiServer();
  // The victim: an account in an enterprise, with a member, a trusted profile, keys and an invitation.
  const victimEnterprise = await createEnterprise(server);
  const victim = await createAccount(server);
  await linkAccount(server, victim.account_id, victimEnterprise.enterprise_id);
  const member = await createIdentity(server);
  await addMember(server, victim.account_id, member.iam_id);
  const invitee = await createIdentity(server);
  const victimOwner = await createApiKey(server, victim.account_id, "owner");
  const invitation = await apiRequest(server, "PUT", memberPath(victim.account_id, invitee.iam_id), { token: victimOwner.key });
  const platformKeys = await apiRequest(server, "GET", "/v1/platform/api_keys", { token: server.adminToken });
  Object.assign(ids, {
    account_id: victim.account_id,
    enterprise_id: victimEnterprise.enterprise_id,
    iam_id: member.iam_id,
    profile_id: (await createTrustedProfile(server, victim.account_id)).profile_id,
    invitation_id: invitation.body.invitation_id,
    "key_id:accounts": (await createApiKey(server, victim.account_id, "viewer")).id,
    "key_id:enterprises": (await createEnterpriseKey(server, victimEnterprise.enterprise_id, "viewer")).id,
    "key_id:platform": platformKeys.body.api_keys[0].id,
  });

  // Keys that once were good for the victim: revoked, and expired.
  const revoked = await createApiKey(server, victim.account_id, "owner");
  expect((await apiRequest(server, "DELETE", `/v1/accounts/${victim.account_id}/api_keys/${revoked.id}`, { token: server.adminToken })).status).toBe(204);
  const expiring = await apiRequest(server, "POST", `/v1/accounts/${victim.account_id}/api_keys`, {
    token: server.adminToken,
    json: { role: "owner", expires_at: new Date(Date.now() + 1000).toISOString() },
  });

  // The attackers: another account (every role) and another enterprise (every role), linked to each other.
  const attackerEnterprise = await createEnterprise(server);
  const attacker = await createAccount(server);
  await linkAccount(server, attacker.account_id, attackerEnterprise.enterprise_id);
  callers.push(
    { name: "no key", authorization: undefined, kind: "unauthenticated" },
    { name: "malformed key", authorization: "Bearer not a key at all", kind: "unauthenticated" },
    { name: "malformed scheme", authorization: `Basic ${Buffer.from("admin:admin").toString("base64")}`, kind: "unauthenticated" },
    { name: "unknown key", authorization: "Bearer iams_0000000000000000000000000000000000000000000", kind: "unauthenticated" },
    { name: "revoked key (was the victim's owner)", authorization: `Bearer ${revoked.key}`, kind: "unauthenticated" },
    { name: "expired key (was the victim's owner)", authorization: `Bearer ${expiring.body.key}`, kind: "unauthenticated" },
  );
  for (const role of ROLES as readonly Role[]) {
    callers.push({ name: `another account's ${role}`, authorization: `Bearer ${(await createApiKey(server, attacker.account_id, role)).key}`, kind: "other tenant" });
    callers.push({
      name: `another enterprise's ${role}`,
      authorization: `Bearer ${(await createEnterpriseKey(server, attackerEnterprise.enterprise_id, role)).key}`,
      kind: "other tenant",
    });
  }
  // The attacker's member identity, so "an identity" routes are tried by keys that do see some identity.
  const own = await createIdentity(server);
  await addMember(server, attacker.account_id, own.iam_id);

  const served = await apiRequest(server, "GET", "/openapi.json", { token: server.adminToken });
  expect(served.status).toBe(200);
  doc = served.body;
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiring.body.expires_at) - Date.now() + 50)));
}, 60_000);

afterAll(async () => {
  await server?.dispose();
});

function operations(): Operation[] {
  const out: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!["get", "put", "post", "delete", "patch"].includes(method)) continue;
      out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

const isPublic = (o: Operation) => !o.op.security || o.op.security.length === 0 || o.op.security.every((s: Schema) => Object.keys(s).length === 0);

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s && s.$ref) s = doc.components.schemas[String(s.$ref).replace("#/components/schemas/", "")];
  return s;
}

/** A value the schema accepts: required properties only, examples and enums first. */
function sample(schema: Schema, name = ""): unknown {
  const s = resolve(schema);
  if (s.anyOf || s.oneOf) return sample((s.anyOf ?? s.oneOf).find((x: Schema) => resolve(x).type !== "null") ?? {}, name);
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.example !== undefined) return s.example;
  if (s.examples?.length) return s.examples[0];
  if (s.type === "object" || s.properties) {
    return Object.fromEntries((s.required ?? []).map((k: string) => [k, sample(s.properties[k], k)]));
  }
  if (s.type === "array") return [];
  if (s.type === "integer" || s.type === "number") return s.minimum ?? 1;
  if (s.type === "boolean") return false;
  if (s.format === "date-time") return new Date(Date.now() + 86_400_000).toISOString();
  return `matrix-${name || "value"}`;
}

function urlOf(o: Operation): string {
  return o.path.replace(/\{([^}]+)\}/g, (_m, param: string) => {
    const scoped = param === "key_id" ? `key_id:${o.path.split("/")[2]}` : param;
    return encodeURIComponent(ids[scoped] ?? `matrix-unknown-${param}`);
  });
}

/** What docs/api.md promises a caller of this kind (a set: any of them is right). */
function expected(o: Operation, kind: "unauthenticated" | "other tenant"): number[] {
  if (kind === "unauthenticated") return [401];
  return /\{(account_id|enterprise_id|iam_id)\}/.test(o.path) ? [404] : [403, 401];
}

/** Everything the platform administrator can read of the victim, to compare before and after the matrix. */
async function victimState() {
  const a = ids.account_id!;
  const e = ids.enterprise_id!;
  const paths = [
    `/v1/accounts/${a}/settings/identity?include_history=true`,
    `/v1/accounts/${a}/members`,
    `/v1/accounts/${a}/invitations`,
    `/v1/accounts/${a}/api_keys`,
    `/v1/accounts/${a}/trusted_profiles`,
    `/v1/accounts/${a}/enterprise`,
    `/v1/enterprises/${e}/settings/identity?include_history=true`,
    `/v1/enterprises/${e}/api_keys`,
    `/v1/identities/${ids.iam_id}/invitations`,
    "/v1/platform/api_keys",
  ];
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const res = await apiRequest(server, "GET", path, { token: server.adminToken });
    // last_used_at moves with the platform administrator's own reads; everything else must stay.
    out[path] = JSON.parse(res.text.replace(/"last_used_at":"[^"]*"/g, '"last_used_at":"…"'));
  }
  return out;
}

describe("authorisation matrix generated from /openapi.json", () => {
  it("covers every operation of the served document (and at least the ones known today)", () => {
    const all = operations();
    expect(all.length).toBeGreaterThanOrEqual(34);
    expect(all.filter(isPublic).map((o) => `${o.method} ${o.path}`)).toContain("GET /health");
  });

  it("every Bearer operation x every caller that must not get in: the documented status, never 2xx", async () => {
    const before = await victimState();
    const failures: string[] = [];
    let calls = 0;
    for (const o of operations().filter((x) => !isPublic(x))) {
      const hasBody = Boolean(o.op.requestBody);
      const bodySchema = o.op.requestBody?.content?.["application/json"]?.schema;
      for (const caller of callers) {
        const headers: Record<string, string> = { "if-match": "*" };
        if (caller.authorization !== undefined) headers.authorization = caller.authorization;
        const res = await apiRequest(server, o.method, urlOf(o), { headers, ...(hasBody ? { json: sample(bodySchema ?? {}) } : {}) });
        calls++;
        const want = expected(o, caller.kind);
        if (!want.includes(res.status) || (res.status >= 200 && res.status < 300)) {
          failures.push(`${o.method} ${o.path} as ${caller.name}: ${res.status} (docs/api.md: ${want.join(" or ")}) ${res.text.slice(0, 160)}`);
        }
        if (res.headers.get("x-content-type-options") !== "nosniff" || res.headers.get("cache-control") !== "no-store") {
          failures.push(`${o.method} ${o.path} as ${caller.name}: missing nosniff/no-store`);
        }
        if (res.status === 401 && !res.headers.get("www-authenticate")) failures.push(`${o.method} ${o.path} as ${caller.name}: 401 without WWW-Authenticate`);
      }
    }
    expect(failures).toEqual([]);
    expect(calls).toBeGreaterThanOrEqual(33 * callers.length);
    // And nothing of the victim changed.
    expect(await victimState()).toEqual(before);
  }, 120_000);

  it("the same bodies succeed for the platform administrator where a write is meant to (the bodies are valid)", async () => {
    // A sanity check of the generator, so the matrix above cannot pass only because every body was rejected.
    const put = operations().find((o) => o.method === "PUT" && o.path === "/v1/accounts/{account_id}/settings/identity")!;
    const body = sample(put.op.requestBody.content["application/json"].schema);
    const res = await apiRequest(server, "PUT", urlOf(put), { token: server.adminToken, json: body, headers: { "if-match": "*" } });
    expect(res.status).toBe(200);
    const key = operations().find((o) => o.method === "POST" && o.path === "/v1/accounts/{account_id}/api_keys")!;
    const created = await apiRequest(server, "POST", urlOf(key), { token: server.adminToken, json: sample(key.op.requestBody.content["application/json"].schema) });
    expect(created.status).toBe(201);
  });
});
