// API keys (issues #6, #11): create, list and revoke the keys of an account (POST|GET /v1/accounts/{account_id}/
// api_keys, DELETE …/{key_id}), of an enterprise (the same under /v1/enterprises/{enterprise_id}) — their owner or
// a platform administrator — and list and revoke the platform administrators' (GET /v1/platform/api_keys, DELETE
// …/{key_id}). The secret is shown only in the creation's answer; only its hash is stored; a list never shows it.
// A revoked key gets 401 on its very next request.
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, enterpriseAccess, platformAdminOnly } from "../auth.ts";
import type { KeyScope } from "../db/api-keys.ts";
import type { Store } from "../db/store.ts";
import type { Context } from "hono";
import { isReplay, writeOnce } from "../idempotency.ts";
import { apiError, expiresAtInPast, notFound, type ApiError } from "../errors.ts";
import { generateApiKey, generateKeyId, hashApiKey, type Role } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, pairCursor } from "../pagination.ts";
import {
  AccountIdParamsSchema,
  ApiKeysSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  CreatedEnterpriseApiKeySchema,
  EnterpriseIdParamsSchema,
  KeyIdParamSchema,
} from "../schemas.ts";
import { CREATED_HEADERS, errorResponses, REQUEST_ID_HEADER, resourcePath, SECURITY, type RouteDeps } from "./common.ts";
import { resourceApp, type AccessRule } from "./resource.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";

const TAG = "API keys";
const keyBody = { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } } as const;
const SHOWN_ONCE = "The key was created. `key` is shown only in this response.";
const MINTED =
  "Optionally with `expires_at`. The new key records the key that created it (`created_by`). A key created by an " +
  "enterprise's key (or by a key that one created, and so on) is revoked when the account leaves that enterprise.";

/**
 * Creates the key (at most once per Idempotency-Key). Only its hash is stored, so a replay cannot show the key
 * again: `key` is then undefined (revoke that key by its id and create another).
 */
async function mint(
  c: Context<AppEnv>,
  deps: RouteDeps,
  owner: { accountId: string | null; enterpriseId: string | null },
  body: { name?: string | undefined; role: Role; expires_at?: string | undefined },
  createdBy: string,
) {
  if (body.expires_at !== undefined && Date.parse(body.expires_at) <= Date.now()) throw expiresAtInPast();
  const key = generateApiKey();
  const record = await writeOnce(c, deps, (s) =>
    s.createApiKey({
      id: generateKeyId(),
      name: body.name ?? `${body.role} key`,
      role: body.role,
      accountId: owner.accountId,
      enterpriseId: owner.enterpriseId,
      hash: hashApiKey(key),
      createdBy,
      expiresAt: body.expires_at === undefined ? null : new Date(body.expires_at).toISOString(),
    }),
  );
  return { record, key: isReplay(c) ? undefined : key };
}

export const createAccountApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createAccountApiKey",
  tags: [TAG],
  summary: "Create an API key for an account (platform administrator or account owner); the key is shown only once",
  description: MINTED,
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: AccountIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

export const createEnterpriseApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createEnterpriseApiKey",
  tags: [TAG],
  summary: "Create an API key for an enterprise (platform administrator or enterprise owner); the key is shown only once",
  description:
    "An enterprise key has its role on the enterprise and on every account linked to it (while linked), never elsewhere. " +
    "Optionally with `expires_at`; the key records the key that created it (`created_by`).",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: EnterpriseIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedEnterpriseApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415, 422),
  },
});

/** GET / and DELETE /{key_id} of one scope's keys. */
function lifecycleRoutes(params: typeof AccountIdParamsSchema | typeof EnterpriseIdParamsSchema | undefined, whose: string, scope: string) {
  return {
    list: createRoute({
      method: "get",
      path: "/",
      operationId: `list${scope}ApiKeys`,
      tags: [TAG],
      summary: `List ${whose} API keys (never the secrets)`,
      description: `limit: 1 to ${PAGE_LIMITS.apiKeys.max} keys per page (default ${PAGE_LIMITS.apiKeys.default}); pass next_cursor as cursor for the next page.`,
      security: SECURITY,
      request: { ...(params ? { params } : {}), query: pageQuerySchema(PAGE_LIMITS.apiKeys, pairCursor) },
      responses: {
        200: { description: "One page of the keys that are not revoked (expired ones included), oldest first (by created_at, then id).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: ApiKeysSchema } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    revoke: createRoute({
      method: "delete",
      path: "/{key_id}",
      operationId: `revoke${scope}ApiKey`,
      tags: [TAG],
      summary: `Revoke one of ${whose} API keys: its next request gets 401`,
      security: SECURITY,
      request: { params: params ? params.extend(KeyIdParamSchema.shape) : KeyIdParamSchema },
      responses: {
        204: { description: "The key is revoked.", headers: REQUEST_ID_HEADER },
        ...errorResponses(400, 401, 403, 404, 409),
      },
    }),
  };
}

export const accountKeyRoutes = lifecycleRoutes(AccountIdParamsSchema, "an account's", "Account");
export const enterpriseKeyRoutes = lifecycleRoutes(EnterpriseIdParamsSchema, "an enterprise's", "Enterprise");
export const platformKeyRoutes = lifecycleRoutes(undefined, "the platform administrators'", "Platform");

function keyNotFound(keyId: string): ApiError {
  return notFound(`API key "${keyId}"`, { type: "parameter", name: "key_id" });
}

/** Registers list and revoke of the scope a request's path names. */
function registerLifecycle(app: OpenAPIHono<AppEnv>, { store, write }: RouteDeps, routes: ReturnType<typeof lifecycleRoutes>, scopeOf: (params: Record<string, string>) => KeyScope) {
  app.openapi(routes.list, (c) => {
    const { limit, cursor } = c.req.valid("query");
    const size = pageSize(limit, PAGE_LIMITS.apiKeys);
    const rows = store.keys.listPage(scopeOf(c.req.param() as Record<string, string>), afterOf(pairCursor, cursor), size + 1);
    const page = pageOf(rows, size, (k): [string, string] => [k.created_at, k.id]);
    return c.json({ api_keys: page.items, next_cursor: nextCursor(pairCursor, page.next) }, 200);
  });
  app.openapi(routes.revoke, async (c) => {
    const params = c.req.param() as Record<string, string>;
    const keyId = params.key_id ?? "";
    switch (await write.keys.revoke(scopeOf(params), keyId, c.get("principal").keyId)) {
      case "not_found":
        throw keyNotFound(keyId);
      case "last_platform_key":
        throw apiError(
          "last_platform_key",
          "this is the last active platform administrator key: create another one before revoking it",
          { type: "parameter", name: "key_id" },
        );
      default:
        return c.body(null, 204);
    }
  });
}

/** Creating keys needs create_keys, listing and revoking manage_keys (both: owner). */
function keysAccess(create: AccessRule, manage: AccessRule): AccessRule {
  return (c, operation) => (operation.method === "post" ? create(c, operation) : manage(c, operation));
}

/** Mounted at /v1/accounts/{account_id}/api_keys. */
export function accountApiKeysApp(deps: RouteDeps) {
  const { store } = deps;
  const app = resourceApp(keysAccess(accountAccess(store, "create_keys"), accountAccess(store, "manage_keys")));
  app.openapi(createAccountApiKeyRoute, async (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = await mint(c, deps, { accountId, enterpriseId: null }, body, c.get("principal").keyId);
    c.header("Location", resourcePath("v1", "accounts", accountId, "api_keys", record.id));
    return c.json(
      {
        id: record.id,
        name: record.name,
        role: body.role,
        account_id: accountId,
        key,
        created_at: record.created_at,
        created_by: record.created_by,
        expires_at: record.expires_at,
      },
      201,
    );
  });
  registerLifecycle(app, deps, accountKeyRoutes, (p) => ({ accountId: p.account_id ?? "" }));
  return app;
}

/** Mounted at /v1/enterprises/{enterprise_id}/api_keys. */
export function enterpriseApiKeysApp(deps: RouteDeps) {
  const { store } = deps;
  const app = resourceApp(keysAccess(enterpriseAccess(store, "create_keys"), enterpriseAccess(store, "manage_keys")));
  app.openapi(createEnterpriseApiKeyRoute, async (c) => {
    const { enterprise_id: enterpriseId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = await mint(c, deps, { accountId: null, enterpriseId }, body, c.get("principal").keyId);
    c.header("Location", resourcePath("v1", "enterprises", enterpriseId, "api_keys", record.id));
    return c.json(
      {
        id: record.id,
        name: record.name,
        role: body.role,
        enterprise_id: enterpriseId,
        account_id: null,
        key,
        created_at: record.created_at,
        created_by: record.created_by,
        expires_at: record.expires_at,
      },
      201,
    );
  });
  registerLifecycle(app, deps, enterpriseKeyRoutes, (p) => ({ enterpriseId: p.enterprise_id ?? "" }));
  return app;
}

/** Mounted at /v1/platform/api_keys (platform keys are created by `npm run admin -- create-admin-key`). */
export function platformApiKeysApp(deps: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  registerLifecycle(app, deps, platformKeyRoutes, () => ({ platform: true }));
  return app;
}
