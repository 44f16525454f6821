// Listing and ending sessions (issue #13): an identity its own (GET|DELETE /v1/identities/{iam_id}/sessions[/{id}]),
// an account's owners and administrators their account's (GET|DELETE /v1/accounts/{account_id}/sessions[/{id}]),
// the platform administrator everyone's. Sessions another caller may not see answer 404, as if absent.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import { isPlatformAdmin, requireAccountAccess } from "../auth.ts";
import type { AppEnv } from "../context.ts";
import { notFound } from "../errors.ts";
import { AccountIdParamsSchema, IamIdParamsSchema } from "../schemas.ts";
import {
  AccountSessionParamsSchema,
  EndedSessionsSchema,
  IdentitySessionParamsSchema,
  SessionListSchema,
} from "../session-schemas.ts";
import type { SessionEngine } from "../sessions/engine.ts";
import type { SessionLimits, SessionRecord } from "../sessions/model.ts";
import { errorResponses, REQUEST_ID_HEADER, SECURITY, type RouteDeps } from "./common.ts";
import { identityNotFound } from "./identities.ts";
import { sessionView } from "./session-views.ts";

const TAG = "Sessions";
const SESSION_SECURITY = [...SECURITY, { SessionCookie: [] }];

/** The identity itself (by a session or access token) or the platform administrator; anyone else: 404. */
export function requireSelfOrPlatformAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.get("principal");
    const iamId = c.req.param("iam_id") ?? "";
    if (!isPlatformAdmin(p) && p.iamId !== iamId) throw identityNotFound(iamId);
    await next();
  };
}

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

function sessionNotFound(id: string) {
  return notFound(`session "${id}"`, { type: "parameter", name: "session_id" });
}

/** Self-service ends are "ended_by_self"; anyone else's are "ended_by_admin". */
function reasonFor(c: Context<AppEnv>, iamId: string) {
  return c.get("principal").iamId === iamId ? ("ended_by_self" as const) : ("ended_by_admin" as const);
}

export function sessionListRoutes(deps: RouteDeps) {
  const ofIdentity = "/v1/identities/{iam_id}/sessions";
  const ofAccount = "/v1/accounts/{account_id}/sessions";
  const listResp = { 200: { description: "Active sessions and those ended in the last 7 days, newest first.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: SessionListSchema } } } };
  const endResp = { 200: { description: "The sessions ended now.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: EndedSessionsSchema } } } };
  return {
    identityList: createRoute({ method: "get", path: ofIdentity, tags: [TAG], summary: "List an identity's sessions (the identity itself or the platform administrator)", security: SESSION_SECURITY, middleware: [requireSelfOrPlatformAdmin()] as const, request: { params: IamIdParamsSchema }, responses: { ...listResp, ...errorResponses(401, 404) } }),
    identityEndAll: createRoute({ method: "delete", path: ofIdentity, tags: [TAG], summary: "End all of an identity's sessions but the current one", security: SESSION_SECURITY, middleware: [requireSelfOrPlatformAdmin()] as const, request: { params: IamIdParamsSchema }, responses: { ...endResp, ...errorResponses(401, 403, 404) } }),
    identityEnd: createRoute({ method: "delete", path: `${ofIdentity}/{session_id}`, tags: [TAG], summary: "End one of an identity's sessions", security: SESSION_SECURITY, middleware: [requireSelfOrPlatformAdmin()] as const, request: { params: IdentitySessionParamsSchema }, responses: { 204: { description: "Ended (or had already ended).", headers: REQUEST_ID_HEADER }, ...errorResponses(401, 403, 404) } }),
    accountList: createRoute({ method: "get", path: ofAccount, tags: [TAG], summary: "List an account's sessions (owners, administrators, platform administrator)", security: SESSION_SECURITY, middleware: [requireAccountAccess(deps.store, "manage_sessions")] as const, request: { params: AccountIdParamsSchema }, responses: { ...listResp, ...errorResponses(401, 403, 404) } }),
    accountEndAll: createRoute({ method: "delete", path: ofAccount, tags: [TAG], summary: "End every session in an account (but the caller's own)", security: SESSION_SECURITY, middleware: [requireAccountAccess(deps.store, "manage_sessions")] as const, request: { params: AccountIdParamsSchema }, responses: { ...endResp, ...errorResponses(401, 403, 404) } }),
    accountEnd: createRoute({ method: "delete", path: `${ofAccount}/{session_id}`, tags: [TAG], summary: "End one session in an account", security: SESSION_SECURITY, middleware: [requireAccountAccess(deps.store, "manage_sessions")] as const, request: { params: AccountSessionParamsSchema }, responses: { 204: { description: "Ended (or had already ended).", headers: REQUEST_ID_HEADER }, ...errorResponses(401, 403, 404) } }),
  };
}

export function registerSessionListRoutes(app: OpenAPIHono<AppEnv>, deps: RouteDeps): void {
  const engine = deps.sessions;
  const r = sessionListRoutes(deps);
  const actor = (c: Context<AppEnv>) => c.get("principal").keyId;
  const current = (c: Context<AppEnv>) => c.get("principal").sessionId;

  app.openapi(r.identityList, async (c) => {
    const { iam_id } = c.req.valid("param");
    return c.json({ sessions: await views(engine, await engine.list({ iamId: iam_id }), current(c)) }, 200);
  });
  app.openapi(r.identityEndAll, async (c) => {
    const { iam_id } = c.req.valid("param");
    const except = current(c);
    const ended = await engine.end({ iamId: iam_id, ...(except ? { exceptSessionId: except } : {}) }, reasonFor(c, iam_id), actor(c));
    return c.json({ ended }, 200);
  });
  app.openapi(r.identityEnd, async (c) => {
    const { iam_id, session_id } = c.req.valid("param");
    const found = (await engine.list({ iamId: iam_id, sessionId: session_id })).length > 0;
    if (!found) throw sessionNotFound(session_id);
    await engine.end({ iamId: iam_id, sessionId: session_id }, reasonFor(c, iam_id), actor(c));
    return c.body(null, 204);
  });
  app.openapi(r.accountList, async (c) => {
    const { account_id } = c.req.valid("param");
    return c.json({ sessions: await views(engine, await engine.list({ accountId: account_id }), current(c)) }, 200);
  });
  app.openapi(r.accountEndAll, async (c) => {
    const { account_id } = c.req.valid("param");
    const except = current(c);
    const ended = await engine.end({ accountId: account_id, ...(except ? { exceptSessionId: except } : {}) }, "ended_by_admin", actor(c));
    return c.json({ ended }, 200);
  });
  app.openapi(r.accountEnd, async (c) => {
    const { account_id, session_id } = c.req.valid("param");
    const found = (await engine.list({ accountId: account_id, sessionId: session_id })).length > 0;
    if (!found) throw sessionNotFound(session_id);
    await engine.end({ accountId: account_id, sessionId: session_id }, c.get("principal").sessionId === session_id ? "ended_by_self" : "ended_by_admin", actor(c));
    return c.body(null, 204);
  });
}
