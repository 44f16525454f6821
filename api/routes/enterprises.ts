// Enterprises (issue #6): POST /v1/enterprises, enterprise API keys, and the link between an account and its
// enterprise (GET/PUT/DELETE /v1/accounts/{account_id}/enterprise). Enterprise settings are the generic settings
// routes with ENTERPRISE_OWNER (routes/settings.ts).
import { randomBytes } from "node:crypto";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import {
  accountNotFound,
  enterpriseNotFound,
  isPlatformAdmin,
  requireAccountAccess,
  requireEnterpriseAccess,
  requireEnterpriseLinkAccess,
  requirePlatformAdmin,
} from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { ApiError } from "../errors.ts";
import { generateApiKey, generateKeyId, hashApiKey } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountEnterpriseLinkSchema,
  AccountEnterpriseSchema,
  AccountIdParamsSchema,
  CreateApiKeyBodySchema,
  CreatedEnterpriseApiKeySchema,
  CreateEnterpriseBodySchema,
  EnterpriseIdParamsSchema,
  EnterpriseSchema,
  LinkEnterpriseBodySchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";

const TAG = "Enterprises";
const accountEnterprisePath = "/v1/accounts/{account_id}/enterprise";

export function enterpriseRoutes(deps: RouteDeps) {
  const create = createRoute({
    method: "post",
    path: "/v1/enterprises",
    tags: [TAG],
    summary: "Create an enterprise (platform administrator)",
    description: "The new enterprise's settings are all NOT_SET, at version 1.",
    security: SECURITY,
    middleware: [requirePlatformAdmin(), requireJsonBody()] as const,
    request: { body: { required: true, content: { "application/json": { schema: CreateEnterpriseBodySchema } } } },
    responses: {
      201: { description: "The enterprise was created.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: EnterpriseSchema } } },
      ...errorResponses(400, 401, 403, 409, 413, 415),
    },
  });
  const createKey = createRoute({
    method: "post",
    path: "/v1/enterprises/{enterprise_id}/api_keys",
    tags: ["API keys"],
    summary: "Create an API key for an enterprise (platform administrator or enterprise owner); the key is shown only once",
    description:
      "An enterprise key has its role on the enterprise and on every account linked to it (while linked), never elsewhere.",
    security: SECURITY,
    middleware: [requireEnterpriseAccess(deps.store, "create_keys"), requireJsonBody()] as const,
    request: {
      params: EnterpriseIdParamsSchema,
      body: { required: true, content: { "application/json": { schema: CreateApiKeyBodySchema } } },
    },
    responses: {
      201: {
        description: "The key was created. `key` is shown only in this response.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: CreatedEnterpriseApiKeySchema } },
      },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
  const getLink = createRoute({
    method: "get",
    path: accountEnterprisePath,
    tags: [TAG],
    summary: "Read the enterprise an account belongs to",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "read_settings")] as const,
    request: { params: AccountIdParamsSchema },
    responses: {
      200: {
        description: "The account's enterprise, or null.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: AccountEnterpriseSchema } },
      },
      ...errorResponses(401, 404),
    },
  });
  const putLink = createRoute({
    method: "put",
    path: accountEnterprisePath,
    tags: [TAG],
    summary: "Link an account to an enterprise (platform administrator only)",
    description: "An account belongs to at most one enterprise: linking it to another replaces the link. Idempotent.",
    security: SECURITY,
    middleware: [requireEnterpriseLinkAccess(deps.store, "link"), requireJsonBody()] as const,
    request: {
      params: AccountIdParamsSchema,
      body: { required: true, content: { "application/json": { schema: LinkEnterpriseBodySchema } } },
    },
    responses: {
      200: { description: "The account is linked.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: AccountEnterpriseLinkSchema } } },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
  const deleteLink = createRoute({
    method: "delete",
    path: accountEnterprisePath,
    tags: [TAG],
    summary: "Remove an account from its enterprise (platform administrator, or owner/administrator of the linked enterprise)",
    description: "204 also when the account has no enterprise.",
    security: SECURITY,
    middleware: [requireEnterpriseLinkAccess(deps.store, "unlink")] as const,
    request: { params: AccountIdParamsSchema },
    responses: {
      204: { description: "The account belongs to no enterprise now.", headers: REQUEST_ID_HEADER },
      ...errorResponses(401, 403, 404),
    },
  });
  return { create, createKey, getLink, putLink, deleteLink };
}

export function registerEnterpriseRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { store } = deps;
  const routes = enterpriseRoutes(deps);

  app.openapi(routes.create, (c) => {
    const body = c.req.valid("json");
    const enterpriseId = body.enterprise_id ?? randomBytes(16).toString("hex");
    const enterprise = store.createEnterprise(enterpriseId, body.name);
    if (!enterprise) {
      throw new ApiError(409, {
        code: "conflict",
        message: `an enterprise with enterprise_id "${enterpriseId}" already exists`,
        target: { type: "field", name: "enterprise_id" },
      });
    }
    return c.json(enterprise, 201);
  });

  app.openapi(routes.createKey, (c) => {
    const { enterprise_id: enterpriseId } = c.req.valid("param");
    const body = c.req.valid("json");
    const key = generateApiKey();
    const record = store.createApiKey({
      id: generateKeyId(),
      name: body.name ?? `${body.role} key`,
      role: body.role,
      accountId: null,
      enterpriseId,
      hash: hashApiKey(key),
      createdBy: c.get("principal").keyId,
      expiresAt: body.expires_at === undefined ? null : new Date(body.expires_at).toISOString(),
    });
    c.header("Cache-Control", "no-store");
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

  app.openapi(routes.getLink, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    return c.json({ account_id: accountId, enterprise_id: store.directory.enterpriseOf(accountId) }, 200);
  });

  app.openapi(routes.putLink, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const { enterprise_id: enterpriseId } = c.req.valid("json");
    switch (store.directory.link(accountId, enterpriseId)) {
      case "no_account":
        throw accountNotFound(accountId);
      case "no_enterprise":
        throw enterpriseNotFound(enterpriseId, "field");
      default:
        return c.json({ account_id: accountId, enterprise_id: enterpriseId }, 200);
    }
  });

  app.openapi(routes.deleteLink, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    store.directory.unlink(accountId, c.get("principal").enterpriseId);
    return c.body(null, 204);
  });
}
