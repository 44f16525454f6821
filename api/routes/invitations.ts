// Invitations (issue #11): an account's side (list, revoke) and the identity's side (list, accept, decline).
// Created by PUT /v1/accounts/{account_id}/members/{iam_id} (routes/identities.ts). The identity answers with its
// own session (auth.ts requireIdentitySelf); until sessions exist the platform administrator may answer for it.
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { writeOnce } from "../idempotency.ts";
import { createRoute } from "@hono/zod-openapi";
import { accountAccess, identitySelfAccess } from "../auth.ts";
import { apiError, identityNotFound, notFound, type ApiError } from "../errors.ts";
import {
  AccountIdParamsSchema,
  IamIdParamsSchema,
  InvitationIdParamSchema,
  InvitationSchema,
  InvitationsSchema,
  MembershipSchema,
} from "../schemas.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, pairCursor } from "../pagination.ts";
import type { InvitationRecord } from "../db/directory.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { readOrWrite, resourceApp } from "./resource.ts";

const TAG = "Invitations";
const PAGED = `limit: 1 to ${PAGE_LIMITS.invitations.max} invitations per page (default ${PAGE_LIMITS.invitations.default}); pass next_cursor as cursor for the next page.`;

/** One page of invitations: `read` gets the position to start after and limit + 1. */
function invitationPage(query: { limit?: string | undefined; cursor?: string | undefined }, read: (after: [string, string] | null, limit: number) => InvitationRecord[]) {
  const size = pageSize(query.limit, PAGE_LIMITS.invitations);
  const page = pageOf(read(afterOf(pairCursor, query.cursor), size + 1), size, (i): [string, string] => [i.created_at, i.invitation_id]);
  return { invitations: page.items, next_cursor: nextCursor(pairCursor, page.next) };
}

function invitationNotFound(invitationId: string): ApiError {
  return notFound(`invitation "${invitationId}"`, { type: "parameter", name: "invitation_id" });
}

function invitationRoutes() {
  const accountList = createRoute({
    method: "get",
    path: "/",
    operationId: "listAccountInvitations",
    tags: [TAG],
    summary: "List an account's invitations, in every state",
    security: SECURITY,
    description: PAGED,
    request: { params: AccountIdParamsSchema, query: pageQuerySchema(PAGE_LIMITS.invitations, pairCursor) },
    responses: {
      200: { description: "One page of the invitations, oldest first (by created_at, then invitation_id).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: InvitationsSchema } } },
      ...errorResponses(400, 401, 404),
    },
  });
  const accountRevoke = createRoute({
    method: "delete",
    path: "/{invitation_id}",
    operationId: "revokeAccountInvitation",
    tags: [TAG],
    summary: "Revoke a pending invitation (the account's owner or administrator)",
    security: SECURITY,
    request: { params: AccountIdParamsSchema.extend(InvitationIdParamSchema.shape) },
    responses: {
      204: { description: "The invitation is revoked: it can no longer be accepted.", headers: REQUEST_ID_HEADER },
      ...errorResponses(400, 401, 403, 404),
    },
  });
  const identityList = createRoute({
    method: "get",
    path: "/",
    operationId: "listIdentityInvitations",
    tags: [TAG],
    summary: "List an identity's invitations (the identity itself, or the platform administrator)",
    security: SECURITY,
    description: PAGED,
    request: { params: IamIdParamsSchema, query: pageQuerySchema(PAGE_LIMITS.invitations, pairCursor) },
    responses: {
      200: { description: "One page of the invitations, oldest first (by created_at, then invitation_id).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: InvitationsSchema } } },
      ...errorResponses(400, 401, 404),
    },
  });
  const answer = (verb: "accept" | "decline") =>
    createRoute({
      method: "post",
      path: `/{invitation_id}/${verb}`,
      operationId: `${verb}Invitation`,
      tags: [TAG],
      summary:
        verb === "accept"
          ? "Accept an invitation: the identity becomes a member with the invitation's role"
          : "Decline an invitation: it counts for nothing, ever",
      description: "The identity itself, or the platform administrator on its behalf. No body. 409 when the invitation is not pending (answered, revoked or expired).",
      security: SECURITY,
        request: { params: IamIdParamsSchema.extend(InvitationIdParamSchema.shape) },
      responses: {
        200:
          verb === "accept"
            ? { description: "The identity is a member.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: MembershipSchema } } }
            : { description: "The invitation is declined.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: InvitationSchema } } },
        ...errorResponses(400, 401, 404, 409),
      },
    });
  return { accountList, accountRevoke, identityList, accept: answer("accept"), decline: answer("decline") };
}

export const invitationRouteDefs = invitationRoutes();

/** Mounted at /v1/accounts/{account_id}/invitations: any role lists, owners and administrators revoke. */
export function accountInvitationsApp({ store, write }: RouteDeps) {
  const routes = invitationRouteDefs;
  const app = resourceApp(readOrWrite(accountAccess(store, "read_settings"), accountAccess(store, "manage_members")));
  app.openapi(routes.accountList, (c) => {
    const { account_id: accountId } = c.req.valid("param");
    return c.json(invitationPage(c.req.valid("query"), (after, limit) => store.directory.invitationsOfAccount(accountId, after, limit)), 200);
  });
  app.openapi(routes.accountRevoke, async (c) => {
    const { account_id: accountId, invitation_id: invitationId } = c.req.valid("param");
    if (!(await write.directory.revokeInvitation(accountId, invitationId))) throw invitationNotFound(invitationId);
    return c.body(null, 204);
  });
  return app;
}

/** Mounted at /v1/identities/{iam_id}/invitations: the identity itself (or the platform administrator for it). */
export function identityInvitationsApp(deps: RouteDeps) {
  const { store } = deps;
  const routes = invitationRouteDefs;
  const app = resourceApp(identitySelfAccess(store));
  app.openapi(routes.identityList, (c) => {
    const { iam_id: iamId } = c.req.valid("param");
    return c.json(invitationPage(c.req.valid("query"), (after, limit) => store.directory.invitationsOfIdentity(iamId, after, limit)), 200);
  });

  // At most once per Idempotency-Key: a repeat gets the first answer.
  const answered = (verb: "accept" | "decline") => async (c: Context<AppEnv>, iamId: string, invitationId: string) => {
    const result = await writeOnce(c, deps, (s) => s.directory.answerInvitation(iamId, invitationId, verb));
    switch (result.outcome) {
      case "not_found":
        throw invitationNotFound(invitationId);
      case "no_identity":
        throw identityNotFound(iamId);
      case "not_pending":
        throw result.invitation.state === "expired"
          ? apiError("invitation_expired", `the invitation expired at ${result.invitation.expires_at}; ask the account for a new one`, {
              type: "parameter",
              name: "invitation_id",
            })
          : apiError("invitation_not_pending", `the invitation is ${result.invitation.state}, not pending`, { type: "parameter", name: "invitation_id" });
      default:
        return result;
    }
  };
  app.openapi(routes.accept, async (c) => {
    const { iam_id: iamId, invitation_id: invitationId } = c.req.valid("param");
    const result = await answered("accept")(c, iamId, invitationId);
    if (result.outcome !== "accepted") throw new Error("accept answered something else");
    return c.json({ account_id: result.accountId, iam_id: iamId, role: result.role }, 200);
  });
  app.openapi(routes.decline, async (c) => {
    const { iam_id: iamId, invitation_id: invitationId } = c.req.valid("param");
    const result = await answered("decline")(c, iamId, invitationId);
    if (result.outcome !== "declined") throw new Error("decline answered something else");
    return c.json(result.invitation, 200);
  });
  return app;
}
