// API keys (issues #6, #11): create, list and revoke the keys of an account (POST|GET /v1/accounts/{account_id}/
// api_keys, DELETE …/{key_id}), of an enterprise (the same under /v1/enterprises/{enterprise_id}) — their owner or
// a platform administrator — and list and revoke the platform administrators' (GET /v1/platform/api_keys, DELETE
// …/{key_id}). The secret is shown only in the creation's answer; only its hash is stored; a list never shows it.
// A revoked key gets 401 on its very next request.
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, enterpriseAccess, platformAdminOnly } from "../auth.ts";
import type { KeyScope } from "../db/api-keys.ts";
import type { Store } from "../db/store.ts";
import { apiError, notFound, type ApiError } from "../errors.ts";
import { generateApiKey, generateKeyId, hashApiKey, type Role } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  ApiKeysSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  CreatedEnterpriseApiKeySchema,
  EnterpriseIdParamsSchema,
  KeyIdParamSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { resourceApp, type AccessRule } from "./resource.ts";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";

const TAG = "API keys";
const keyBody = { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } } as const;
const SHOWN_ONCE = "The key was created. `key` is shown only in this response.";
const MINTED =
  "Optionally with `expires_at`. The new key records the key that created it (`created_by`). A key created by an " +
  "enterprise's key (or by a key that one created, and so on) is revoked when the account leaves that enterprise.";

function mint(
  store: Store,
  owner: { accountId: string | null; enterpriseId: string | null },
  body: { name?: string | undefined; role: Role; expires_at?: string | undefined },
  createdBy: string,
) {
  const key = generateApiKey();
  const record = store.createApiKey({
    id: generateKeyId(),
    name: body.name ?? `${body.role} key`,
    role: body.role,
    accountId: owner.accountId,
    enterpriseId: owner.enterpriseId,
    hash: hashApiKey(key),
    createdBy,
    expiresAt: body.expires_at === undefined ? null : new Date(body.expires_at).toISOString(),
  });
  return { record, key };
}

export const createAccountApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  tags: [TAG],
  summary: "Create an API key for an account (platform administrator or account owner); the key is shown only once",
  description: MINTED,
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: AccountIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: REQUEST_ID_HEADER, content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

export const createEnterpriseApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  tags: [TAG],
  summary: "Create an API key for an enterprise (platform administrator or enterprise owner); the key is shown only once",
  description:
    "An enterprise key has its role on the enterprise and on every account linked to it (while linked), never elsewhere. " +
    "Optionally with `expires_at`; the key records the key that created it (`created_by`).",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: EnterpriseIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: REQUEST_ID_HEADER, content: { "application/json": { schema: CreatedEnterpriseApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

/** GET / and DELETE /{key_id} of one scope's keys. */
function lifecycleRoutes(params: typeof AccountIdParamsSchema | typeof EnterpriseIdParamsSchema | undefined, whose: string) {
  return {
    list: createRoute({
      method: "get",
      path: "/",
      tags: [TAG],
      summary: `List ${whose} API keys (never the secrets)`,
      security: SECURITY,
      request: params ? { params } : {},
      responses: {
        200: { description: "The keys that are not revoked (expired ones included), oldest first.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: ApiKeysSchema } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    revoke: createRoute({
      method: "delete",
      path: "/{key_id}",
      tags: [TAG],
      summary: `Revoke one of ${whose} API keys: its next request gets 401`,
      security: SECURITY,
      request: { params: params ? params.extend(KeyIdParamSchema.shape) : KeyIdParamSchema },
      responses: {
        204: { description: "The key is revoked.", headers: REQUEST_ID_HEADER },
        ...errorResponses(401, 403, 404, 409),
      },
    }),
  };
}

export const accountKeyRoutes = lifecycleRoutes(AccountIdParamsSchema, "an account's");
export const enterpriseKeyRoutes = lifecycleRoutes(EnterpriseIdParamsSchema, "an enterprise's");
export const platformKeyRoutes = lifecycleRoutes(undefined, "the platform administrators'");

function keyNotFound(keyId: string): ApiError {
  return notFound(`API key "${keyId}"`, { type: "parameter", name: "key_id" });
}

/** Registers list and revoke of the scope a request's path names. */
function registerLifecycle(app: OpenAPIHono<AppEnv>, store: Store, routes: ReturnType<typeof lifecycleRoutes>, scopeOf: (params: Record<string, string>) => KeyScope) {
  app.openapi(routes.list, (c) => c.json({ api_keys: store.keys.list(scopeOf(c.req.param() as Record<string, string>)) }, 200));
  app.openapi(routes.revoke, (c) => {
    const params = c.req.param() as Record<string, string>;
    const keyId = params.key_id ?? "";
    switch (store.keys.revoke(scopeOf(params), keyId, c.get("principal").keyId)) {
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
export function accountApiKeysApp({ store }: RouteDeps) {
  const app = resourceApp(keysAccess(accountAccess(store, "create_keys"), accountAccess(store, "manage_keys")));
  app.openapi(createAccountApiKeyRoute, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = mint(store, { accountId, enterpriseId: null }, body, c.get("principal").keyId);
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
  registerLifecycle(app, store, accountKeyRoutes, (p) => ({ accountId: p.account_id ?? "" }));
  return app;
}

/** Mounted at /v1/enterprises/{enterprise_id}/api_keys. */
export function enterpriseApiKeysApp({ store }: RouteDeps) {
  const app = resourceApp(keysAccess(enterpriseAccess(store, "create_keys"), enterpriseAccess(store, "manage_keys")));
  app.openapi(createEnterpriseApiKeyRoute, (c) => {
    const { enterprise_id: enterpriseId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = mint(store, { accountId: null, enterpriseId }, body, c.get("principal").keyId);
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
  registerLifecycle(app, store, enterpriseKeyRoutes, (p) => ({ enterpriseId: p.enterprise_id ?? "" }));
  return app;
}

/** Mounted at /v1/platform/api_keys (platform keys are created by `npm run admin -- create-admin-key`). */
export function platformApiKeysApp({ store }: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  registerLifecycle(app, store, platformKeyRoutes, () => ({ platform: true }));
  return app;
}
