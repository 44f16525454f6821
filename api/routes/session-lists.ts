// Listing and ending sessions (issue #13): an identity its own (GET|DELETE /v1/identities/{iam_id}/sessions[/{id}]),
// an account's owners and administrators their account's (GET|DELETE /v1/accounts/{account_id}/sessions[/{id}]),
// the platform administrator everyone's. Sessions another caller may not see answer 404, as if absent.
import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { accountAccess, isPlatformAdmin } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { identityNotFound } from "../errors.ts";
import { AccountIdParamsSchema, IamIdParamsSchema } from "../schemas.ts";
import { AccountSessionParamsSchema, EndedSessionsSchema, IdentitySessionParamsSchema, SessionListSchema } from "../session-schemas.ts";
import type { SessionEngine } from "../sessions/engine.ts";
import { sessionNotFound } from "../sessions/errors.ts";
import type { SessionLimits, SessionRecord } from "../sessions/model.ts";
import { afterOf, nextCursor, PAGE_LIMITS, pageOf, pageQuerySchema, pageSize, timeTextCursor } from "../pagination.ts";
import type { SessionFilter } from "../sessions/store.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { resourceApp, type AccessRule } from "./resource.ts";
import { sessionView } from "./session-views.ts";

const TAG = "Sessions";
export const SESSION_SECURITY = [...SECURITY, { SessionCookie: [] }];

/** The identity in the path itself (by a session or access token) or the platform administrator; anyone else: 404. */
export const selfOrPlatformAdmin: AccessRule = (c) => {
  const p = c.get("principal");
  const iamId = c.req.param("iam_id") ?? "";
  if (!isPlatformAdmin(p) && p.iamId !== iamId) throw identityNotFound(iamId);
};

async function views(engine: SessionEngine, list: SessionRecord[], currentId: string | undefined) {
  const limits = new Map<string, SessionLimits>();
  const out = [];
  for (const s of list) {
    let l: SessionLimits | undefined;
    if (s.endedAt === null) {
      const k = `${s.iamId}\u0000${s.profileId ?? ""}`;
      l = limits.get(k) ?? (await engine.limitsFor(s.iamId, s.profileId));
      limits.set(k, l);
    }
    out.push(sessionView(s, l, currentId));
  }
  return out;
}

/** Self-service ends are "ended_by_self"; anyone else's are "ended_by_admin". */
function reasonFor(c: Context<AppEnv>, iamId: string) {
  return c.get("principal").iamId === iamId ? ("ended_by_self" as const) : ("ended_by_admin" as const);
}

/** One page of the sessions the filter selects, as listed (with their current limits), and the next page's cursor. */
async function sessionPage(c: Context<AppEnv>, engine: SessionEngine, filter: SessionFilter, query: { limit?: string | undefined; cursor?: string | undefined }) {
  const { limit, cursor } = query;
  const size = pageSize(limit, PAGE_LIMITS.sessions);
  const at = afterOf(timeTextCursor, cursor);
  const rows = await engine.list(filter, { after: at ? { createdAt: at[0], sessionId: at[1] } : null, limit: size + 1 });
  const page = pageOf(rows, size, (s): [number, string] => [s.createdAt, s.sessionId]);
  return { sessions: await views(engine, page.items, current(c)), next_cursor: nextCursor(timeTextCursor, page.next) };
}

const PAGED = `limit: 1 to ${PAGE_LIMITS.sessions.max} sessions per page (default ${PAGE_LIMITS.sessions.default}); pass next_cursor as cursor for the next (older) page.`;
const pageQuery = pageQuerySchema(PAGE_LIMITS.sessions, timeTextCursor);

const listResponse = {
  200: { description: "One page of the active sessions and those ended in the last 7 days, newest first (by created_at, then session_id, both descending).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: SessionListSchema } } },
};
const endResponse = {
  200: { description: "The ids of the sessions ended now.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: EndedSessionsSchema } } },
};
const endOneResponse = { 204: { description: "Ended (or had already ended).", headers: REQUEST_ID_HEADER } };

export const identitySessionRoutes = {
  list: createRoute({ operationId: "listIdentitySessions", method: "get", path: "/", tags: [TAG], summary: "List an identity's sessions (the identity itself or the platform administrator)", description: PAGED, security: SESSION_SECURITY, request: { params: IamIdParamsSchema, query: pageQuery }, responses: { ...listResponse, ...errorResponses(400, 401, 404) } }),
  endAll: createRoute({ operationId: "endIdentitySessions", method: "delete", path: "/", tags: [TAG], summary: "End all of an identity's sessions but the current one", security: SESSION_SECURITY, request: { params: IamIdParamsSchema }, responses: { ...endResponse, ...errorResponses(400, 401, 403, 404) } }),
  end: createRoute({ operationId: "endIdentitySession", method: "delete", path: "/{session_id}", tags: [TAG], summary: "End one of an identity's sessions", security: SESSION_SECURITY, request: { params: IdentitySessionParamsSchema }, responses: { ...endOneResponse, ...errorResponses(400, 401, 403, 404) } }),
};

export const accountSessionRoutes = {
  list: createRoute({ operationId: "listAccountSessions", method: "get", path: "/", tags: [TAG], summary: "List an account's sessions (owners, administrators, platform administrator)", description: PAGED, security: SESSION_SECURITY, request: { params: AccountIdParamsSchema, query: pageQuery }, responses: { ...listResponse, ...errorResponses(400, 401, 403, 404) } }),
  endAll: createRoute({ operationId: "endAccountSessions", method: "delete", path: "/", tags: [TAG], summary: "End every session in an account but the caller's own", security: SESSION_SECURITY, request: { params: AccountIdParamsSchema }, responses: { ...endResponse, ...errorResponses(400, 401, 403, 404) } }),
  end: createRoute({ operationId: "endAccountSession", method: "delete", path: "/{session_id}", tags: [TAG], summary: "End one session in an account", security: SESSION_SECURITY, request: { params: AccountSessionParamsSchema }, responses: { ...endOneResponse, ...errorResponses(400, 401, 403, 404) } }),
};

const actor = (c: Context<AppEnv>) => c.get("principal").keyId;
const current = (c: Context<AppEnv>) => c.get("principal").sessionId;

/** Mounted at /v1/identities/{iam_id}/sessions. */
export function identitySessionsApp({ sessions: engine }: RouteDeps) {
  const app = resourceApp(selfOrPlatformAdmin);
  app.openapi(identitySessionRoutes.list, async (c) => {
    const { iam_id } = c.req.valid("param");
    return c.json(await sessionPage(c, engine, { iamId: iam_id }, c.req.valid("query")), 200);
  });
  app.openapi(identitySessionRoutes.endAll, async (c) => {
    const { iam_id } = c.req.valid("param");
    const except = current(c);
    const ended = await engine.end({ iamId: iam_id, ...(except ? { exceptSessionId: except } : {}) }, reasonFor(c, iam_id), actor(c));
    return c.json({ ended }, 200);
  });
  app.openapi(identitySessionRoutes.end, async (c) => {
    const { iam_id, session_id } = c.req.valid("param");
    if (!(await engine.exists({ iamId: iam_id, sessionId: session_id }))) throw sessionNotFound(session_id);
    await engine.end({ iamId: iam_id, sessionId: session_id }, reasonFor(c, iam_id), actor(c));
    return c.body(null, 204);
  });
  return app;
}

/** Mounted at /v1/accounts/{account_id}/sessions. */
export function accountSessionsApp({ store, sessions: engine }: RouteDeps) {
  const app = resourceApp(accountAccess(store, "manage_sessions"));
  app.openapi(accountSessionRoutes.list, async (c) => {
    const { account_id } = c.req.valid("param");
    return c.json(await sessionPage(c, engine, { accountId: account_id }, c.req.valid("query")), 200);
  });
  app.openapi(accountSessionRoutes.endAll, async (c) => {
    const { account_id } = c.req.valid("param");
    const except = current(c);
    const ended = await engine.end({ accountId: account_id, ...(except ? { exceptSessionId: except } : {}) }, "ended_by_admin", actor(c));
    return c.json({ ended }, 200);
  });
  app.openapi(accountSessionRoutes.end, async (c) => {
    const { account_id, session_id } = c.req.valid("param");
    if (!(await engine.exists({ accountId: account_id, sessionId: session_id }))) throw sessionNotFound(session_id);
    await engine.end({ accountId: account_id, sessionId: session_id }, current(c) === session_id ? "ended_by_self" : "ended_by_admin", actor(c));
    return c.body(null, 204);
  });
  return app;
}
