// POST /v1/accounts/{account_id}/api_keys: a platform administrator, or an owner of the account, creates a key.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { requireAccountAccess } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { generateApiKey, generateKeyId, hashApiKey } from "../keys.ts";
import { isReplay, writeOnce } from "../idempotency.ts";
import { requireJsonBody } from "../middleware.ts";
import { AccountIdParamsSchema, CreateApiKeyBodySchema, CreatedApiKeySchema } from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";

export function createApiKeyRoute(deps: RouteDeps) {
  return createRoute({
    method: "post",
    path: "/v1/accounts/{account_id}/api_keys",
    tags: ["API keys"],
    summary: "Create an API key for an account (platform administrator or account owner); the key is shown only once",
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

export function registerApiKeyRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  app.openapi(createApiKeyRoute(deps), async (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = generateApiKey();
    const record = await writeOnce(c, deps, (s) =>
      s.createApiKey({ id: generateKeyId(), name: body.name ?? `${body.role} key`, role: body.role, accountId, hash: hashApiKey(key) }),
    );
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        id: record.id,
        name: record.name,
        role: body.role,
        account_id: accountId,
        // Only the hash is stored: a replay cannot show the key again (revoke that key, create another).
        ...(isReplay(c) ? {} : { key }),
        created_at: record.created_at,
      },
      201,
    );
  });
}
