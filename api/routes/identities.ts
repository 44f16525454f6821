// Identities and account membership (issues #6, #11): POST /v1/identities, and GET …/members,
// PUT/DELETE …/members/{iam_id} of an account. Membership needs the identity's consent: anyone but the platform
// administrator invites (routes/invitations.ts has the rest of the invitations' life).
import { randomBytes } from "node:crypto";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { accountNotFound, checkRoleCeiling, isPlatformAdmin, requireAccountAccess, requirePlatformAdmin } from "../auth.ts";
import { DEFAULT_INVITATION_TTL_SECONDS } from "../db/directory.ts";
import type { AppEnv } from "../context.ts";
import { ApiError, notFound } from "../errors.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  AccountMemberParamsSchema,
  CreateIdentityBodySchema,
  IdentitySchema,
  InvitationSchema,
  MemberRoleBodySchema,
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
    summary: "Add a member (platform administrator) or invite an identity (anyone else who manages members); set a member's role",
    description:
      "The platform administrator adds the identity directly (200). The account's owner or administrator (or its " +
      "enterprise's) creates an invitation instead (202): it counts for nothing until the identity accepts it, and " +
      "the answer is the same whether or not the identity exists. For an identity that already is a member, a given " +
      "`role` changes its role (200). Optional body `{\"role\"}` (default viewer); a caller gives at most its own role.",
    security: SECURITY,
    middleware: [requireAccountAccess(deps.store, "manage_members")] as const,
    request: {
      params: AccountMemberParamsSchema,
      body: { required: false, content: { "application/json": { schema: MemberRoleBodySchema } } },
    },
    responses: {
      200: { description: "The identity is a member, with this role.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembershipSchema } } },
      202: {
        description: "An invitation was created (or renewed): nothing changes until the identity accepts it.",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: InvitationSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 413, 415),
    },
  });
  const remove = createRoute({
    method: "delete",
    path: memberPath,
    tags: [TAG],
    summary: "Remove an identity from an account (at once)",
    description: "Same callers as PUT (a caller removes only members whose role is not above its own). 204 also when the identity was not a member.",
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
    const identity = store.directory.createIdentity(iamId, body.name);
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
    const { role } = c.req.valid("json");
    if (isPlatformAdmin(c.get("principal"))) {
      switch (store.directory.addMember(accountId, iamId, role)) {
        case "no_account":
          throw accountNotFound(accountId);
        case "no_identity":
          throw identityNotFound(iamId);
        default:
          return c.json({ account_id: accountId, iam_id: iamId, role: store.directory.memberRole(accountId, iamId)! }, 200);
      }
    }
    // The account sees its own members, so answering "already a member" tells it nothing new.
    const current = store.directory.memberRole(accountId, iamId);
    if (current !== undefined) {
      checkRoleCeiling(c, store, accountId, [current, role]);
      if (role !== undefined) store.directory.setMemberRole(accountId, iamId, role);
      return c.json({ account_id: accountId, iam_id: iamId, role: role ?? current }, 200);
    }
    checkRoleCeiling(c, store, accountId, [role]);
    const invitation = store.directory.invite(accountId, iamId, role ?? "viewer", c.get("principal").keyId, deps.invitationTtlSeconds ?? DEFAULT_INVITATION_TTL_SECONDS);
    return c.json(invitation, 202);
  });

  app.openapi(routes.remove, (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    checkRoleCeiling(c, store, accountId, [store.directory.memberRole(accountId, iamId)]);
    store.directory.removeMember(accountId, iamId);
    return c.body(null, 204);
  });
}
