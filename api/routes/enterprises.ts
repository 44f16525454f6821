// Enterprises (issue #6): POST /v1/enterprises, and the link between an account and its enterprise
// (GET/PUT/DELETE /v1/accounts/{account_id}/enterprise). Enterprise API keys are in api-keys.ts, enterprise settings
// are the generic settings routes with ENTERPRISE_OWNER (settings.ts).
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, enterpriseLinkAccess, platformAdminOnly } from "../auth.ts";
import { accountNotFound, conflict, enterpriseNotFound, notLinked } from "../errors.ts";
import { writeOnce } from "../idempotency.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountEnterpriseLinkSchema,
  AccountIdParamsSchema,
  CreateEnterpriseBodySchema,
  EnterpriseSchema,
  LinkEnterpriseBodySchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps, CREATED_HEADERS, resourcePath } from "./common.ts";
import { resourceApp, type AccessRule } from "./resource.ts";

const TAG = "Enterprises";

export const createEnterpriseRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createEnterprise",
  tags: [TAG],
  summary: "Create an enterprise (platform administrator)",
  description: "The new enterprise's settings are all NOT_SET, at version 1.",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateEnterpriseBodySchema } } } },
  responses: {
    201: { description: "The enterprise was created; Location is its path.", headers: CREATED_HEADERS, content: { "application/json": { schema: EnterpriseSchema } } },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

export const enterpriseLinkRoutes = {
  get: createRoute({
    method: "get",
    path: "/",
    operationId: "getAccountEnterprise",
    tags: [TAG],
    summary: "Read the enterprise an account belongs to",
    description:
      "The link exists while the account belongs to an enterprise: 404 `not_linked` when it belongs to none (also " +
      "after DELETE), 404 `not_found` when the account does not exist or is not visible to the key.",
    security: SECURITY,
    request: { params: AccountIdParamsSchema },
    responses: {
      200: {
        description: "The account's enterprise.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: AccountEnterpriseLinkSchema } },
      },
      ...errorResponses(400, 401, 404),
    },
  }),
  put: createRoute({
    method: "put",
    path: "/",
    operationId: "linkAccountEnterprise",
    tags: [TAG],
    summary: "Link an account to an enterprise (platform administrator only)",
    description: "An account belongs to at most one enterprise: linking it to another replaces the link. Idempotent.",
    security: SECURITY,
    middleware: [requireJsonBody()] as const,
    request: {
      params: AccountIdParamsSchema,
      body: { required: true, content: { "application/json": { schema: LinkEnterpriseBodySchema } } },
    },
    responses: {
      200: { description: "The account is linked.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: AccountEnterpriseLinkSchema } } },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/",
    operationId: "unlinkAccountEnterprise",
    tags: [TAG],
    summary: "Remove an account from its enterprise (platform administrator, or owner/administrator of the linked enterprise)",
    description: "204 also when the account has no enterprise.",
    security: SECURITY,
    request: { params: AccountIdParamsSchema },
    responses: {
      204: { description: "The account belongs to no enterprise now.", headers: REQUEST_ID_HEADER },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
};

/** Mounted at /v1/enterprises. */
export function enterprisesApp(deps: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  app.openapi(createEnterpriseRoute, async (c) => {
    const body = c.req.valid("json");
    const enterpriseId = body.enterprise_id ?? randomBytes(16).toString("hex");
    const enterprise = await writeOnce(c, deps, (s) => s.createEnterprise(enterpriseId, body.name));
    if (!enterprise) throw conflict("enterprise", "enterprise_id", enterpriseId);
    c.header("Location", resourcePath("v1", "enterprises", enterprise.enterprise_id));
    return c.json(enterprise, 201);
  });
  return app;
}

/** Mounted at /v1/accounts/{account_id}/enterprise: reading it is reading the account; linking is the platform's. */
export function enterpriseLinkApp({ store, write }: RouteDeps) {
  const read = accountAccess(store, "read_settings");
  const link = enterpriseLinkAccess(store, "link");
  const unlink = enterpriseLinkAccess(store, "unlink");
  const access: AccessRule = (c, operation) =>
    operation.method === "get" ? read(c) : operation.method === "put" ? link(c) : unlink(c);
  const app = resourceApp(access);

  app.openapi(enterpriseLinkRoutes.get, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const enterpriseId = store.directory.enterpriseOf(accountId);
    if (enterpriseId === null) throw notLinked(accountId);
    return c.json({ account_id: accountId, enterprise_id: enterpriseId }, 200);
  });

  app.openapi(enterpriseLinkRoutes.put, async (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const { enterprise_id: enterpriseId } = c.req.valid("json");
    switch (await write.directory.link(accountId, enterpriseId)) {
      case "no_account":
        throw accountNotFound(accountId);
      case "no_enterprise":
        throw enterpriseNotFound(enterpriseId, "field");
      default:
        return c.json({ account_id: accountId, enterprise_id: enterpriseId }, 200);
    }
  });

  app.openapi(enterpriseLinkRoutes.remove, async (c) => {
    const { account_id: accountId } = c.req.valid("param");
    await write.directory.unlink(accountId, c.get("principal").enterpriseId);
    return c.body(null, 204);
  });
  return app;
}
