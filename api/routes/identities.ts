// Identities and account membership (issue #6): POST /v1/identities, and GET …/members,
// PUT/DELETE …/members/{iam_id} of an account.
import { randomBytes } from "node:crypto";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { accountNotFound, requireAccountAccess, requirePlatformAdmin } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  AccountMemberParamsSchema,
  CreateIdentityBodySchema,
  IdentitySchema,
  MembersSchema,
  MembershipSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";

const TAG = "Identities";
const memberPath = "/v1/accounts/{account_id}/members/{iam_id}";

export function identityNotFound(iamId: string): ApiError {
  return notFound(`identity "${iamId}"`, { type: "parameter", name: "iam_id" });
}

export function identityRoutes(deps: RouteDeps) {
  const create = createRoute({
    method: "post",
    path: "/v1/identities",
    tags: [TAG],
    summary: "Create an identity (platform administrator)",
    security: SECURITY,
    middleware: [requirePlatformAdmin(), requireJsonBody()] as const,
    request: { body: { required: true, content: { "application/json": { schema: CreateIdentityBodySchema } } } },
    responses: {
      201: { description: "The identity was created.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: IdentitySchema } } },
      ...errorResponses(400, 401, 403, 409, 413, 415),
    },
  });
  const list = createRoute({
    method: "get",
    path: "/v1/accounts/{account_id}/members",
    tags: [TAG],
    summary: "List an account's members",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "read_settings")] as const,
    request: { params: AccountIdParamsSchema },
    responses: {
      200: { description: "The account's members, by iam_id.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembersSchema } } },
      ...errorResponses(401, 404),
    },
  });
  const put = createRoute({
    method: "put",
    path: memberPath,
    tags: [TAG],
    summary: "Make an identity a member of an account (idempotent)",
    description: "Platform administrator, the account's owner or administrator, or the owner or administrator of its enterprise. No body.",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "manage_members")] as const,
    request: { params: AccountMemberParamsSchema },
    responses: {
      200: { description: "The identity is a member.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembershipSchema } } },
      ...errorResponses(401, 403, 404),
    },
  });
  const remove = createRoute({
    method: "delete",
    path: memberPath,
    tags: [TAG],
    summary: "Remove an identity from an account",
    description: "Same callers as PUT. 204 also when the identity was not a member.",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "manage_members")] as const,
    request: { params: AccountMemberParamsSchema },
    responses: {
      204: { description: "The identity is not a member now.", headers: REQUEST_ID_HEADER },
      ...errorResponses(401, 403, 404),
    },
  });
  return { create, list, put, remove };
}

export function registerIdentityRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const { store } = deps;
  const routes = identityRoutes(deps);

  app.openapi(routes.create, (c) => {
    const body = c.req.valid("json");
    const iamId = body.iam_id ?? `iam-${randomBytes(16).toString("hex")}`;
    const identity = store.directory.createIdentity(iamId, body.name, body.kind ?? "user");
    if (!identity) {
      throw new ApiError(409, {
        code: "conflict",
        message: `an identity with iam_id "${iamId}" already exists`,
        target: { type: "field", name: "iam_id" },
      });
    }
    return c.json(identity, 201);
  });

  app.openapi(routes.list, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    return c.json({ members: store.directory.members(accountId) }, 200);
  });

  app.openapi(routes.put, (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    switch (store.directory.addMember(accountId, iamId)) {
      case "no_account":
        throw accountNotFound(accountId);
      case "no_identity":
        throw identityNotFound(iamId);
      default:
        return c.json({ account_id: accountId, iam_id: iamId }, 200);
    }
  });

  app.openapi(routes.remove, async (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    store.directory.removeMember(accountId, iamId);
    // The identity's sessions in that account end now (not only at their next validation, which also checks).
    await deps.sessions.end({ accountId, iamId }, "membership_removed", c.get("principal").keyId);
    return c.body(null, 204);
  });
}
