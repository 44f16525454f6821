// Identities and account membership (issues #6, #11): POST /v1/identities, and GET …/members,
// PUT/DELETE …/members/{iam_id} of an account. Membership needs the identity's consent: anyone but the platform
// administrator invites (routes/invitations.ts has the rest of the invitations' life).
import { randomBytes } from "node:crypto";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, checkRoleCeiling, isPlatformAdmin, platformAdminOnly } from "../auth.ts";
import { DEFAULT_INVITATION_TTL_SECONDS } from "../db/directory.ts";
import { accountNotFound, conflict, identityNotFound } from "../errors.ts";
import { writeOnce } from "../idempotency.ts";
import { requireJsonBody } from "../middleware.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, textCursor } from "../pagination.ts";
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
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps, CREATED_HEADERS, resourcePath } from "./common.ts";
import { readOrWrite, resourceApp } from "./resource.ts";


const TAG = "Identities";

export const createIdentityRoute = createRoute({
  method: "post",
  path: "/",
  operationId: "createIdentity",
  tags: [TAG],
  summary: "Create an identity (platform administrator)",
  security: SECURITY,
  middleware: [requireJsonBody()] as const,
  request: { body: { required: true, content: { "application/json": { schema: CreateIdentityBodySchema } } } },
  responses: {
    201: { description: "The identity was created; Location is its path.", headers: CREATED_HEADERS, content: { "application/json": { schema: IdentitySchema } } },
    ...errorResponses(400, 401, 403, 409, 413, 415),
  },
});

export const memberRoutes = {
  list: createRoute({
    method: "get",
    path: "/",
    operationId: "listAccountMembers",
    tags: [TAG],
    summary: "List an account's members",
    description: `limit: 1 to ${PAGE_LIMITS.members.max} members per page (default ${PAGE_LIMITS.members.default}); pass next_cursor as cursor for the next page.`,
    security: SECURITY,
    request: { params: AccountIdParamsSchema, query: pageQuerySchema(PAGE_LIMITS.members, textCursor) },
    responses: {
      200: { description: "One page of the account's members, by iam_id.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembersSchema } } },
      ...errorResponses(400, 401, 404),
    },
  }),
  put: createRoute({
    method: "put",
    path: "/{iam_id}",
    operationId: "addAccountMember",
    tags: [TAG],
    summary: "Add a member (platform administrator) or invite an identity (anyone else who manages members); set a member's role",
    description:
      "The platform administrator adds the identity directly (200). The account's owner or administrator (or its " +
      "enterprise's) creates an invitation instead (202): it counts for nothing until the identity accepts it, and " +
      "the answer is the same whether or not the identity exists. For an identity that already is a member, a given " +
      '`role` changes its role (200). Optional body `{"role"}` (default viewer); a caller gives at most its own role.',
    security: SECURITY,
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
  }),
  remove: createRoute({
    method: "delete",
    path: "/{iam_id}",
    operationId: "removeAccountMember",
    tags: [TAG],
    summary: "Remove an identity from an account (at once)",
    description: "Same callers as PUT (a caller removes only members whose role is not above its own). 204 also when the identity was not a member.",
    security: SECURITY,
    request: { params: AccountMemberParamsSchema },
    responses: {
      204: { description: "The identity is not a member now.", headers: REQUEST_ID_HEADER },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
};

/** Mounted at /v1/identities. */
export function identitiesApp(deps: RouteDeps) {
  const app = resourceApp(platformAdminOnly);
  app.openapi(createIdentityRoute, async (c) => {
    const body = c.req.valid("json");
    const iamId = body.iam_id ?? `iam-${randomBytes(16).toString("hex")}`;
    const identity = await writeOnce(c, deps, (s) => s.directory.createIdentity(iamId, body.name, body.kind ?? "user"));
    if (!identity) throw conflict("identity", "iam_id", iamId);
    c.header("Location", resourcePath("v1", "identities", identity.iam_id));
    return c.json(identity, 201);
  });
  return app;
}

/** Mounted at /v1/accounts/{account_id}/members. */
export function membersApp({ store, write, invitationTtlSeconds, sessions }: RouteDeps) {
  const app = resourceApp(readOrWrite(accountAccess(store, "read_settings"), accountAccess(store, "manage_members")));

  app.openapi(memberRoutes.list, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = afterOf(textCursor, cursor);
    const size = pageSize(limit, PAGE_LIMITS.members);
    const page = pageOf(store.directory.membersPage(accountId, after, size + 1), size, (m) => m.iam_id);
    return c.json({ members: page.items, next_cursor: nextCursor(textCursor, page.next) }, 200);
  });

  app.openapi(memberRoutes.put, async (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    const { role } = c.req.valid("json");
    if (isPlatformAdmin(c.get("principal"))) {
      switch (await write.directory.addMember(accountId, iamId, role)) {
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
      if (role !== undefined) await write.directory.setMemberRole(accountId, iamId, role);
      return c.json({ account_id: accountId, iam_id: iamId, role: role ?? current }, 200);
    }
    checkRoleCeiling(c, store, accountId, [role]);
    const invitation = await write.directory.invite(accountId, iamId, role ?? "viewer", c.get("principal").keyId, invitationTtlSeconds ?? DEFAULT_INVITATION_TTL_SECONDS);
    return c.json(invitation, 202);
  });

  app.openapi(memberRoutes.remove, async (c) => {
    const { account_id: accountId, iam_id: iamId } = c.req.valid("param");
    checkRoleCeiling(c, store, accountId, [store.directory.memberRole(accountId, iamId)]);
    await write.directory.removeMember(accountId, iamId);
    // The identity's sessions in that account end now (their next validation checks membership too).
    await sessions.end({ accountId, iamId }, "membership_removed", c.get("principal").keyId);
    return c.body(null, 204);
  });
  return app;
}
