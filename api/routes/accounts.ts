// POST /v1/accounts: platform administrators create accounts (their settings start all NOT_SET, version 1).
// GET /v1/accounts/{account_id}: the account a 201's Location names, for every key that may read it.
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, platformAdminOnly } from "../auth.ts";
import { accountNotFound, conflict } from "../errors.ts";
import { writeOnce } from "../idempotency.ts";
import { requireJsonBody } from "../middleware.ts";
import { AccountIdParamsSchema, AccountSchema, CreateAccountBodySchema } from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps, CREATED_HEADERS, resourcePath } from "./common.ts";
import { resourceApp } from "./resource.ts";

export const createAccountRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createAccount",
  tags: ["Accounts"],
  summary: "Create an account (platform administrator)",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: {
    body: { required: true, content: { "application/json": { schema: CreateAccountBodySchema } } },
  },
  responses: {
    201: {
      description: "The account was created; Location is its path.",
      headers: CREATED_HEADERS,
      content: { "application/json": { schema: AccountSchema } },
    },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

/** Mounted at /v1/accounts. */
export function accountsApp(deps: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  app.openapi(createAccountRoute, async (c) => {
    const body = c.req.valid("json");
    const accountId = body.account_id ?? randomBytes(16).toString("hex");
    const account = await writeOnce(c, deps, (s) => s.createAccount(accountId, body.name));
    if (!account) throw conflict("account", "account_id", accountId);
    c.header("Location", resourcePath("v1", "accounts", account.account_id));
    return c.json(account, 201);
  });
  return app;
}

export const getAccountRoute = createRoute({
  method: "get",
  path: "/",
  operationId: "getAccount",
  tags: ["Accounts"],
  summary: "Read an account (any key or member that may read its settings)",
  security: SECURITY,
  request: { params: AccountIdParamsSchema },
  responses: {
    200: { description: "The account.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: AccountSchema } } },
    ...errorResponses(400, 401, 404),
  },
});

/** Mounted at /v1/accounts/{account_id}. */
export function accountApp({ store }: RouteDeps) {
  const app = resourceApp(accountAccess(store, "read_settings"));
  app.openapi(getAccountRoute, (c) => {
    const { account_id } = c.req.valid("param");
    const account = store.getAccount(account_id);
    if (!account) throw accountNotFound(account_id);
    return c.json(account, 200);
  });
  return app;
}
