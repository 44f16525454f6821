// Identities' credentials (issue #13): a password (PUT /v1/identities/{iam_id}/password), identity API keys
// (POST|GET /v1/identities/{iam_id}/api_keys, DELETE …/{key_id}) and accounts' federation keys
// (POST /v1/accounts/{account_id}/federation_keys). Keys are shown once and stored as hashes.
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, isPlatformAdmin } from "../auth.ts";
import { identityNotFound } from "../errors.ts";
import { isReplay, writeOnce } from "../idempotency.ts";
import { generateApiKey, hashApiKey } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, timeTextCursor } from "../pagination.ts";
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
import { currentPasswordRequired, invalidCurrentPassword, keyNotFound } from "../sessions/errors.ts";
import { CREATED_HEADERS, errorResponses, REQUEST_ID_HEADER, resourcePath, SECURITY, type RouteDeps } from "./common.ts";
import { resourceApp } from "./resource.ts";
import { iso } from "./session-views.ts";
import { selfOrPlatformAdmin, SESSION_SECURITY } from "./session-lists.ts";

const TAG = "Identity credentials";

function keyView(k: CredentialKeyRecord) {
  return { id: k.id, iam_id: k.ownerId, name: k.name, created_at: iso(k.createdAt), revoked_at: k.revokedAt === null ? null : iso(k.revokedAt) };
}

export function identityCredentialRoutes() {
  return {
    password: createRoute({
      operationId: "setIdentityPassword",
      method: "put",
      path: "/",
      tags: [TAG],
      summary: "Set an identity's password (platform administrator, or the identity itself with current_password)",
      description:
        "Stored with scrypt (docs/sessions.md). Ends the identity's other sessions (credential_changed): all of them when the platform administrator sets it.",
      security: SESSION_SECURITY,
      middleware: [requireJsonBody()] as const,
      request: { params: IamIdParamsSchema, body: { required: true, content: { "application/json": { schema: PasswordBodySchema } } } },
      responses: { 204: { description: "The password is set.", headers: REQUEST_ID_HEADER }, ...errorResponses(400, 401, 403, 404, 413, 415) },
    }),
    createKey: createRoute({
      operationId: "createIdentityApiKey",
      method: "post",
      path: "/",
      tags: [TAG],
      summary: "Create an identity API key (for CLI logins and access tokens); shown once",
      security: SESSION_SECURITY,
      middleware: [requireJsonBody()] as const,
      request: { params: IamIdParamsSchema, body: { required: true, content: { "application/json": { schema: CreateIdentityKeyBodySchema } } } },
      responses: {
        201: { description: "The key; `key` is shown only here. Location is its path (where it is revoked).", headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedIdentityKeySchema } } },
        ...errorResponses(400, 401, 404, 413, 415),
      },
    }),
    listKeys: createRoute({
      operationId: "listIdentityApiKeys",
      method: "get",
      path: "/",
      tags: [TAG],
      summary: "List an identity's API keys (never the secret)",
      description: `limit: 1 to ${PAGE_LIMITS.identityApiKeys.max} keys per page (default ${PAGE_LIMITS.identityApiKeys.default}); pass next_cursor as cursor for the next page.`,
      security: SESSION_SECURITY,
      request: { params: IamIdParamsSchema, query: pageQuerySchema(PAGE_LIMITS.identityApiKeys, timeTextCursor) },
      responses: { 200: { description: "One page of the keys, revoked ones included, oldest first (by created_at, then id).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: IdentityKeysSchema } } }, ...errorResponses(400, 401, 404) },
    }),
    revokeKey: createRoute({
      operationId: "revokeIdentityApiKey",
      method: "delete",
      path: "/{key_id}",
      tags: [TAG],
      summary: "Revoke an identity API key: its sessions end (key_revoked) and its access tokens stop working",
      security: SESSION_SECURITY,
      request: { params: IdentityKeyParamsSchema },
      responses: { 204: { description: "Revoked (or already revoked).", headers: REQUEST_ID_HEADER }, ...errorResponses(400, 401, 403, 404) },
    }),
    createFederationKey: createRoute({
      operationId: "createFederationKey",
      method: "post",
      path: "/",
      tags: [TAG],
      summary: "Create a federation key: it may only assert federated users' logins through the account's trusted profiles",
      security: SECURITY,
      middleware: [requireJsonBody()] as const,
      request: { params: AccountIdParamsSchema, body: { required: true, content: { "application/json": { schema: CreateIdentityKeyBodySchema } } } },
      responses: {
        201: { description: "The key; `key` is shown only here. Location names it under the account.", headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedFederationKeySchema } } },
        ...errorResponses(400, 401, 403, 404, 413, 415),
      },
    }),
  };
}

function mustExist(store: RouteDeps["store"], iamId: string): void {
  if (!store.directory.getIdentity(iamId)) throw identityNotFound(iamId);
}

/** Mounted at /v1/identities/{iam_id}/password. */
export function passwordApp({ store, write, sessions: engine, clock }: RouteDeps) {
  const app = resourceApp(selfOrPlatformAdmin);
  app.openapi(identityCredentialRoutes().password, async (c) => {
    const { iam_id } = c.req.valid("param");
    const body = c.req.valid("json");
    mustExist(store, iam_id);
    const p = c.get("principal");
    if (!isPlatformAdmin(p)) {
      const stored = store.credentials.password(iam_id);
      if (body.current_password === undefined) throw currentPasswordRequired();
      if (!stored || !(await verifyPassword(body.current_password, stored))) throw invalidCurrentPassword();
    }
    await write.credentials.setPassword(iam_id, await hashPassword(body.password), clock.now());
    await engine.end({ iamId: iam_id, ...(p.sessionId ? { exceptSessionId: p.sessionId } : {}) }, "credential_changed", p.keyId);
    return c.body(null, 204);
  });
  return app;
}

/** Mounted at /v1/identities/{iam_id}/api_keys. */
export function identityKeysApp(deps: RouteDeps) {
  const { store, write, sessions: engine, clock } = deps;
  const routes = identityCredentialRoutes();
  const app = resourceApp(selfOrPlatformAdmin);
  app.openapi(routes.createKey, async (c) => {
    const { iam_id } = c.req.valid("param");
    mustExist(store, iam_id);
    const key = generateApiKey();
    const name = c.req.valid("json").name ?? "identity key";
    const record = await writeOnce(c, deps, (s) => s.credentials.createIdentityKey(generateIdentityKeyId(), iam_id, name, hashApiKey(key), clock.now()));
    c.header("Cache-Control", "no-store");
    c.header("Location", resourcePath("v1", "identities", iam_id, "api_keys", record.id));
    // A replay names the key it created, without the secret (only its hash was stored): revoke it and create another.
    return c.json({ ...keyView(record), ...(isReplay(c) ? {} : { key }) }, 201);
  });
  app.openapi(routes.listKeys, (c) => {
    const { iam_id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    mustExist(store, iam_id);
    const size = pageSize(limit, PAGE_LIMITS.identityApiKeys);
    const page = pageOf(store.credentials.identityKeys(iam_id, afterOf(timeTextCursor, cursor), size + 1), size, (k): [number, string] => [k.createdAt, k.id]);
    return c.json({ api_keys: page.items.map(keyView), next_cursor: nextCursor(timeTextCursor, page.next) }, 200);
  });
  app.openapi(routes.revokeKey, async (c) => {
    const { iam_id, key_id } = c.req.valid("param");
    mustExist(store, iam_id);
    if ((await write.credentials.revokeIdentityKey(iam_id, key_id, clock.now())) === "not_found") throw keyNotFound(key_id);
    await engine.end({ iamId: iam_id, credentialKeyId: key_id }, "key_revoked", c.get("principal").keyId);
    return c.body(null, 204);
  });
  return app;
}

/** Mounted at /v1/accounts/{account_id}/federation_keys. */
export function federationKeysApp(deps: RouteDeps) {
  const { store, clock } = deps;
  const app = resourceApp(accountAccess(store, "create_keys"));
  app.openapi(identityCredentialRoutes().createFederationKey, async (c) => {
    const { account_id } = c.req.valid("param");
    const key = generateApiKey();
    const name = c.req.valid("json").name ?? "federation key";
    const record = await writeOnce(c, deps, (s) =>
      s.credentials.createFederationKey(`FederationKey-${randomBytes(8).toString("hex")}`, account_id, name, hashApiKey(key), clock.now()),
    );
    c.header("Cache-Control", "no-store");
    c.header("Location", resourcePath("v1", "accounts", account_id, "federation_keys", record.id));
    const view = { id: record.id, account_id, role: "federation" as const, name: record.name, created_at: iso(record.createdAt) };
    return c.json({ ...view, ...(isReplay(c) ? {} : { key }) }, 201);
  });
  return app;
}
