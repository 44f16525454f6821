// API keys (issues #6, #11): create, list and revoke the keys of an account, an enterprise (created in
// routes/enterprises.ts) and the platform administrators. A list never shows a secret; a revoked key gets 401 on
// its very next request. Account and enterprise keys: their owner (or the platform administrator); platform keys:
// a platform administrator.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { requireAccountAccess, requireEnterpriseAccess, requirePlatformAdmin } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import type { KeyScope } from "../db/api-keys.ts";
import { ApiError, notFound } from "../errors.ts";
import { generateApiKey, generateKeyId, hashApiKey } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  ApiKeysSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  EnterpriseIdParamsSchema,
  KeyIdParamSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";

const TAG = "API keys";

export function createApiKeyRoute(deps: RouteDeps) {
  return createRoute({
    method: "post",
    path: "/v1/accounts/{account_id}/api_keys",
    tags: [TAG],
    summary: "Create an API key for an account (platform administrator or account owner); the key is shown only once",
    description:
      "Optionally with `expires_at`. The new key records the key that created it (`created_by`). A key created by an " +
      "enterprise's key (or by a key that one created, and so on) is revoked when the account leaves that enterprise.",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "create_keys"), requireJsonBody()] as const,
    request: {
      params: AccountIdParamsSchema,
      body: { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } },
    },
    responses: {
      201: {
        description: "The key was created. `key` is shown only in this response.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: CreatedApiKeySchema } },
      },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
}

function keyRoutes(base: string, params: typeof AccountIdParamsSchema | typeof EnterpriseIdParamsSchema | undefined, whose: string, access: MiddlewareHandler<AppEnv>) {
  const list = createRoute({
    method: "get",
    path: `${base}/api_keys`,
    tags: [TAG],
    summary: `List ${whose} API keys (never the secrets)`,
    security: SECURITY,
    middleware: [access] as const,
    request: params ? { params } : {},
    responses: {
      200: { description: "The keys that are not revoked.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: ApiKeysSchema } } },
      ...errorResponses(401, 403, 404),
    },
  });
  const revoke = createRoute({
    method: "delete",
    path: `${base}/api_keys/{key_id}`,
    tags: [TAG],
    summary: `Revoke one of ${whose} API keys: its next request gets 401`,
    security: SECURITY,
    middleware: [access] as const,
    request: { params: params ? params.extend(KeyIdParamSchema.shape) : KeyIdParamSchema },
    responses: {
      204: { description: "The key is revoked.", headers: REQUEST_ID_HEADER },
      ...errorResponses(401, 403, 404, 409),
    },
  });
  return { list, revoke };
}

function keyNotFound(keyId: string): ApiError {
  return notFound(`API key "${keyId}"`, { type: "parameter", name: "key_id" });
}

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { store } = deps;
  app.openapi(createApiKeyRoute(deps), (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = generateApiKey();
    const record = store.createApiKey({
      id: generateKeyId(),
      name: body.name ?? `${body.role} key`,
      role: body.role,
      accountId,
      hash: hashApiKey(key),
      createdBy: c.get("principal").keyId,
      expiresAt: body.expires_at === undefined ? null : new Date(body.expires_at).toISOString(),
    });
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

  const register = (routes: ReturnType<typeof keyRoutes>, scopeOf: (params: Record<string, string>) => KeyScope) => {
    app.openapi(routes.list, (c) => c.json({ api_keys: store.keys.list(scopeOf(c.req.param())) }, 200));
    app.openapi(routes.revoke, (c) => {
      const params = c.req.param() as Record<string, string>;
      const keyId = params.key_id ?? "";
      switch (store.keys.revoke(scopeOf(params), keyId, c.get("principal").keyId)) {
        case "not_found":
          throw keyNotFound(keyId);
        case "last_platform_key":
          throw new ApiError(409, {
            code: "last_platform_key",
            message: "this is the last active platform administrator key: create another one before revoking it",
            target: { type: "parameter", name: "key_id" },
          });
        default:
          return c.body(null, 204);
      }
    });
  };
  register(
    keyRoutes("/v1/accounts/{account_id}", AccountIdParamsSchema, "an account's", requireAccountAccess(store, "manage_keys")),
    (p) => ({ accountId: p.account_id ?? "" }),
  );
  register(
    keyRoutes("/v1/enterprises/{enterprise_id}", EnterpriseIdParamsSchema, "an enterprise's", requireEnterpriseAccess(store, "manage_keys")),
    (p) => ({ enterpriseId: p.enterprise_id ?? "" }),
  );
  register(keyRoutes("/v1/platform", undefined, "the platform administrators'", requirePlatformAdmin()), () => ({ platform: true }));
}
