// Creating API keys: POST /v1/accounts/{account_id}/api_keys (a platform administrator or an owner of the account)
// and POST /v1/enterprises/{enterprise_id}/api_keys (a platform administrator or an owner of the enterprise). The
// secret is shown only in the answer; only its hash is stored.
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, enterpriseAccess } from "../auth.ts";
import type { Store } from "../db/store.ts";
import { generateApiKey, generateKeyId, hashApiKey, type Role } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  CreateApiKeyBodySchema,
  CreatedApiKeySchema,
  CreatedEnterpriseApiKeySchema,
  EnterpriseIdParamsSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps, CREATED_HEADERS, resourcePath } from "./common.ts";
import { resourceApp } from "./resource.ts";

const TAG = "API keys";
const keyBody = { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } } as const;
const SHOWN_ONCE = "The key was created. `key` is shown only in this response.";

function mint(store: Store, owner: { accountId: string | null; enterpriseId: string | null }, body: { name?: string | undefined; role: Role }) {
  const key = generateApiKey();
  const record = store.createApiKey({
    id: generateKeyId(),
    name: body.name ?? `${body.role} key`,
    role: body.role,
    accountId: owner.accountId,
    enterpriseId: owner.enterpriseId,
    hash: hashApiKey(key),
  });
  return { record, key };
}

export const createAccountApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createAccountApiKey",
  tags: [TAG],
  summary: "Create an API key for an account (platform administrator or account owner); the key is shown only once",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: AccountIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

export const createEnterpriseApiKeyRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createEnterpriseApiKey",
  tags: [TAG],
  summary: "Create an API key for an enterprise (platform administrator or enterprise owner); the key is shown only once",
  description:
    "An enterprise key has its role on the enterprise and on every account linked to it (while linked), never elsewhere.",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { params: EnterpriseIdParamsSchema, body: keyBody },
  responses: {
    201: { description: SHOWN_ONCE, headers: CREATED_HEADERS, content: { "application/json": { schema: CreatedEnterpriseApiKeySchema } } },
    ...errorResponses(400, 401, 403, 404, 413, 415),
  },
});

/** Mounted at /v1/accounts/{account_id}/api_keys. */
export function accountApiKeysApp({ store }: RouteDeps) {
  const app = resourceApp(accountAccess(store, "create_keys"));
  app.openapi(createAccountApiKeyRoute, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = mint(store, { accountId, enterpriseId: null }, body);
    c.header("Cache-Control", "no-store");
    c.header("Location", resourcePath("v1", "accounts", accountId, "api_keys", record.id));
    return c.json({ id: record.id, name: record.name, role: body.role, account_id: accountId, key, created_at: record.created_at }, 201);
  });
  return app;
}

/** Mounted at /v1/enterprises/{enterprise_id}/api_keys. */
export function enterpriseApiKeysApp({ store }: RouteDeps) {
  const app = resourceApp(enterpriseAccess(store, "create_keys"));
  app.openapi(createEnterpriseApiKeyRoute, (c) => {
    const { enterprise_id: enterpriseId } = c.req.valid("param");
    const body = c.req.valid("json");
    const { record, key } = mint(store, { accountId: null, enterpriseId }, body);
    c.header("Cache-Control", "no-store");
    c.header("Location", resourcePath("v1", "enterprises", enterpriseId, "api_keys", record.id));
    return c.json(
      { id: record.id, name: record.name, role: body.role, enterprise_id: enterpriseId, account_id: null, key, created_at: record.created_at },
      201,
    );
  });
  return app;
}
