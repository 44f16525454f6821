// POST /v1/accounts: platform administrators create accounts (their settings start all NOT_SET, version 1).
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { platformAdminOnly } from "../auth.ts";
import { conflict } from "../errors.ts";
import { requireJsonBody } from "../middleware.ts";
import { AccountSchema, CreateAccountBodySchema } from "../schemas.ts";
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
export function accountsApp({ store }: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  app.openapi(createAccountRoute, (c) => {
    const body = c.req.valid("json");
    const accountId = body.account_id ?? randomBytes(16).toString("hex");
    const account = store.createAccount(accountId, body.name);
    if (!account) throw conflict("account", "account_id", accountId);
    c.header("Location", resourcePath("v1", "accounts", account.account_id));
    return c.json(account, 201);
  });
  return app;
}
