// Identities and account membership (issue #6): POST /v1/identities, and GET …/members,
// PUT/DELETE …/members/{iam_id} of an account.
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, platformAdminOnly, roleOnAccount } from "../auth.ts";
import { ACCOUNT_ROLES, type Role } from "../keys.ts";
import { accountNotFound, conflict, forbidden, identityNotFound } from "../errors.ts";
import { requireJsonBody } from "../middleware.ts";
import {
  AccountIdParamsSchema,
  AccountMemberParamsSchema,
  CreateIdentityBodySchema,
  IdentitySchema,
  MembersSchema,
  MembershipBodySchema,
  MembershipSchema,
} from "../schemas.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { readOrWrite, resourceApp } from "./resource.ts";

const TAG = "Identities";

export const createIdentityRoute = createRoute({
  method: "post",
  path: "/",
  tags: [TAG],
  summary: "Create an identity (platform administrator)",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateIdentityBodySchema } } } },
  responses: {
    201: { description: "The identity was created.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: IdentitySchema } } },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

export const memberRoutes = {
  list: createRoute({
    method: "get",
    path: "/",
    tags: [TAG],
    summary: "List an account's members",
    security: SECURITY,
    request: { params: AccountIdParamsSchema },
    responses: {
      200: { description: "The account's members, by iam_id.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembersSchema } } },
      ...errorResponses(401, 404),
    },
  }),
  put: createRoute({
    method: "put",
    path: "/{iam_id}",
    tags: [TAG],
    summary: "Make an identity a member of an account, with a role (idempotent)",
    description:
      "Platform administrator, the account's owner or administrator, or the owner or administrator of its enterprise. " +
      'Optional body `{"role"}`: what the member\'s own sessions may do in the account (default viewer); a caller gives at most its own role.',
    security: SECURITY,
    request: {
      params: AccountMemberParamsSchema,
      body: { required: false, content: { "application/json": { schema: MembershipBodySchema } } },
    },
    responses: {
      200: { description: "The identity is a member, with this role.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembershipSchema } } },
      ...errorResponses(400, 401, 403, 404, 415),
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/{iam_id}",
    tags: [TAG],
    summary: "Remove an identity from an account",
    description: "Same callers as PUT. 204 also when the identity was not a member.",
    security: SECURITY,
    request: { params: AccountMemberParamsSchema },
    responses: {
      204: { description: "The identity is not a member now.", headers: REQUEST_ID_HEADER },
      ...errorResponses(401, 403, 404),
    },
  }),
};

/** Mounted at /v1/identities. */
export function identitiesApp({ store }: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  app.openapi(createIdentityRoute, (c) => {
    const body = c.req.valid("json");
    const iamId = body.iam_id ?? `iam-${randomBytes(16).toString("hex")}`;
    const identity = store.directory.createIdentity(iamId, body.name, body.kind ?? "user");
    if (!identity) throw conflict("identity", "iam_id", iamId);
    return c.json(identity, 201);
  });
  return app;
}

/** Mounted at /v1/accounts/{account_id}/members. */
export function membersApp({ store, sessions }: RouteDeps) {
  const app = resourceApp(readOrWrite(accountAccess(store, "read_settings"), accountAccess(store, "manage_members")));

  app.openapi(memberRoutes.list, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    return c.json({ members: store.directory.members(accountId) }, 200);
  });

  app.openapi(memberRoutes.put, (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    const role = (c.req.valid("json") as { role?: Role } | undefined)?.role;
    const own = roleOnAccount(store, c.get("principal"), accountId);
    // No escalation: an administrator may not make an owner.
    if (role !== undefined && own !== "platform_admin" && own !== undefined && ACCOUNT_ROLES.indexOf(role) > ACCOUNT_ROLES.indexOf(own)) {
      throw forbidden(`a key with role "${own}" may not give the role "${role}"`);
    }
    switch (store.directory.addMember(accountId, iamId, role)) {
      case "no_account":
        throw accountNotFound(accountId);
      case "no_identity":
        throw identityNotFound(iamId);
      default:
        return c.json({ account_id: accountId, iam_id: iamId, role: store.directory.memberRole(accountId, iamId)! }, 200);
    }
  });

  app.openapi(memberRoutes.remove, async (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    store.directory.removeMember(accountId, iamId);
    // The identity's sessions in that account end now (their next validation checks membership too).
    await sessions.end({ accountId, iamId }, "membership_removed", c.get("principal").keyId);
    return c.body(null, 204);
  });
  return app;
}
