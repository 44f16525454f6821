// Identities' credentials (issue #13): a password (PUT /v1/identities/{iam_id}/password), identity API keys
// (POST|GET /v1/identities/{iam_id}/api_keys, DELETE …/{key_id}) and accounts' federation keys
// (POST /v1/accounts/{account_id}/federation_keys). Keys are shown once and stored as hashes.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { isPlatformAdmin, requireAccountAccess } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import { generateApiKey, hashApiKey } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import { AccountIdParamsSchema, IamIdParamsSchema } from "../schemas.ts";
import {
  CreatedFederationKeySchema,
  CreatedIdentityKeySchema,
  CreateIdentityKeyBodySchema,
  IdentityKeyParamsSchema,
  IdentityKeysSchema,
  PasswordBodySchema,
} from "../session-schemas.ts";
import type { CredentialKeyRecord } from "../db/credentials.ts";
import { hashPassword, verifyPassword } from "../sessions/password.ts";
import { generateIdentityKeyId } from "../sessions/tokens.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { identityNotFound } from "./identities.ts";
import { iso } from "./session-views.ts";
import { requireSelfOrPlatformAdmin } from "./session-lists.ts";
import { randomBytes } from "node:crypto";

const TAG = "Identity credentials";
const SESSION_SECURITY = [...SECURITY, { SessionCookie: [] }];

function keyView(k: CredentialKeyRecord) {
  return { id: k.id, iam_id: k.ownerId, name: k.name, created_at: iso(k.createdAt), revoked_at: k.revokedAt === null ? null : iso(k.revokedAt) };
}

export function identityCredentialRoutes(deps: RouteDeps) {
  return {
    password: createRoute({
      method: "put",
      path: "/v1/identities/{iam_id}/password",
      tags: [TAG],
      summary: "Set an identity's password (platform administrator, or the identity itself with current_password)",
      description:
        "Stored with scrypt (docs/sessions.md). Ends the identity's other sessions (credential_changed): all of them when the platform administrator sets it.",
      security: SESSION_SECURITY,
      middleware: [requireSelfOrPlatformAdmin(), requireJsonBody()] as const,
      request: { params: IamIdParamsSchema, body: { required: true, content: { "application/json": { schema: PasswordBodySchema } } } },
      responses: { 204: { description: "The password is set.", headers: REQUEST_ID_HEADER }, ...errorResponses(400, 401, 403, 404, 413, 415) },
    }),
    createKey: createRoute({
      method: "post",
      path: "/v1/identities/{iam_id}/api_keys",
      tags: [TAG],
      summary: "Create an identity API key (for CLI logins and access tokens); shown once",
      security: SESSION_SECURITY,
      middleware: [requireSelfOrPlatformAdmin(), requireJsonBody()] as const,
      request: { params: IamIdParamsSchema, body: { required: true, content: { "application/json": { schema: CreateIdentityKeyBodySchema } } } },
      responses: { 201: { description: "The key; `key` is shown only here.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: CreatedIdentityKeySchema } } }, ...errorResponses(400, 401, 404, 413, 415) },
    }),
    listKeys: createRoute({
      method: "get",
      path: "/v1/identities/{iam_id}/api_keys",
      tags: [TAG],
      summary: "List an identity's API keys (never the secret)",
      security: SESSION_SECURITY,
      middleware: [requireSelfOrPlatformAdmin()] as const,
      request: { params: IamIdParamsSchema },
      responses: { 200: { description: "Oldest first.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: IdentityKeysSchema } } }, ...errorResponses(401, 404) },
    }),
    revokeKey: createRoute({
      method: "delete",
      path: "/v1/identities/{iam_id}/api_keys/{key_id}",
      tags: [TAG],
      summary: "Revoke an identity API key: its sessions end (key_revoked) and its access tokens stop working",
      security: SESSION_SECURITY,
      middleware: [requireSelfOrPlatformAdmin()] as const,
      request: { params: IdentityKeyParamsSchema },
      responses: { 204: { description: "Revoked (or already revoked).", headers: REQUEST_ID_HEADER }, ...errorResponses(401, 403, 404) },
    }),
    createFederationKey: createRoute({
      method: "post",
      path: "/v1/accounts/{account_id}/federation_keys",
      tags: [TAG],
      summary: "Create a federation key: it may only assert federated users' logins through the account's trusted profiles",
      security: SECURITY,
      middleware: [requireAccountAccess(deps.store, "create_keys"), requireJsonBody()] as const,
      request: { params: AccountIdParamsSchema, body: { required: true, content: { "application/json": { schema: CreateIdentityKeyBodySchema } } } },
      responses: { 201: { description: "The key; `key` is shown only here.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: CreatedFederationKeySchema } } }, ...errorResponses(400, 401, 403, 404, 413, 415) },
    }),
  };
}

export function registerIdentityCredentialRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { store, sessions: engine, clock } = deps;
  const r = identityCredentialRoutes(deps);
  const mustExist = (iamId: string) => {
    if (!store.directory.getIdentity(iamId)) throw identityNotFound(iamId);
  };

  app.openapi(r.password, async (c) => {
    const { iam_id } = c.req.valid("param");
    const body = c.req.valid("json");
    mustExist(iam_id);
    const p = c.get("principal");
    if (!isPlatformAdmin(p)) {
      const stored = store.credentials.password(iam_id);
      if (body.current_password === undefined) {
        throw new ApiError(400, { code: "invalid_body", message: "current_password: required when an identity changes its own password", target: { type: "field", name: "current_password" } });
      }
      if (!stored || !(await verifyPassword(body.current_password, stored))) {
        throw new ApiError(403, { code: "invalid_current_password", message: "current_password is not the identity's password", target: { type: "field", name: "current_password" } });
      }
    }
    store.credentials.setPassword(iam_id, await hashPassword(body.password), clock.now());
    await engine.end({ iamId: iam_id, ...(p.sessionId ? { exceptSessionId: p.sessionId } : {}) }, "credential_changed", p.keyId);
    return c.body(null, 204);
  });

  app.openapi(r.createKey, (c) => {
    const { iam_id } = c.req.valid("param");
    mustExist(iam_id);
    const key = generateApiKey();
    const record = store.credentials.createIdentityKey(generateIdentityKeyId(), iam_id, c.req.valid("json").name ?? "identity key", hashApiKey(key), clock.now());
    c.header("Cache-Control", "no-store");
    return c.json({ ...keyView(record), key }, 201);
  });

  app.openapi(r.listKeys, (c) => {
    const { iam_id } = c.req.valid("param");
    mustExist(iam_id);
    return c.json({ api_keys: store.credentials.identityKeys(iam_id).map(keyView) }, 200);
  });

  app.openapi(r.revokeKey, async (c) => {
    const { iam_id, key_id } = c.req.valid("param");
    mustExist(iam_id);
    if (store.credentials.revokeIdentityKey(iam_id, key_id, clock.now()) === "not_found") {
      throw notFound(`API key "${key_id}"`, { type: "parameter", name: "key_id" });
    }
    await engine.end({ iamId: iam_id, credentialKeyId: key_id }, "key_revoked", c.get("principal").keyId);
    return c.body(null, 204);
  });

  app.openapi(r.createFederationKey, (c) => {
    const { account_id } = c.req.valid("param");
    const key = generateApiKey();
    const id = `FederationKey-${randomBytes(8).toString("hex")}`;
    const record = store.credentials.createFederationKey(id, account_id, c.req.valid("json").name ?? "federation key", hashApiKey(key), clock.now());
    c.header("Cache-Control", "no-store");
    return c.json({ id, account_id, role: "federation" as const, name: record.name, key, created_at: iso(record.createdAt) }, 201);
  });
}
