// Logins and the current session (issue #13): POST /v1/sessions, POST /v1/tokens, GET and DELETE /v1/session.
//
// Which logins create sessions (SPEC §1): a user's console or CLI login and a federated user's login through a
// trusted profile create one; a service ID's CLI login and POST /v1/tokens give an access token and create none; a
// service ID's console login is refused.
import { createRoute } from "@hono/zod-openapi";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { accountNotFound, profileNotFound } from "../errors.ts";
import type { IdentityKind } from "../db/credentials.ts";
import { hashApiKey } from "../keys.ts";
import { requireJsonBody } from "../middleware.ts";
import { AccessTokenSchema, CurrentSessionSchema, LoginBodySchema, LoginResponseSchema, TokenRequestSchema } from "../session-schemas.ts";
import { CLEARING_COOKIE, sessionCookie } from "../sessions/cookie.ts";
import { checkLoginOrigin, clientOf } from "../sessions/http-auth.ts";
import { dummyHash, verifyPassword } from "../sessions/password.ts";
import { ACCESS_TOKEN_PREFIX, generateToken, hashToken } from "../sessions/tokens.ts";
import {
  consoleLoginNotAllowed,
  invalidCredentials,
  loginField,
  notASession,
  sessionLimitReached,
} from "../sessions/errors.ts";
import { failedCredential, refuseWhileThrottled } from "../throttle.ts";
import { CREATED_HEADERS, errorResponses, REQUEST_ID_HEADER, resourcePath, type RouteDeps } from "./common.ts";
import { PUBLIC, resourceApp, type AccessRule } from "./resource.ts";
import { iso, limitsBody, sessionView } from "./session-views.ts";

const TAG = "Sessions";
/** An access token's lifetime: short, and it is no session (session limits do not apply to it). */
export const ACCESS_TOKEN_SECONDS = 3600;

// Failed logins share the API's failed-authentication throttle (api/throttle.ts): a password is guessable, so the
// throttle is asked BEFORE checking, and every wrong credential counts. A login refused because of the concurrent
// limit is never counted.

export function sessionRoutes() {
  const login = createRoute({
    method: "post",
    path: "/",
    operationId: "createSession",
    tags: [TAG],
    summary: "Log in to an account: a console or CLI session (or, for a service ID's CLI login, an access token)",
    description:
      "No Authorization, except a federated login, which a federation key asserts. The console channel answers the " +
      "session token only in the cookie `__Host-iamsession=…; Secure; HttpOnly; SameSite=Lax; Path=/`. Wrong credentials: " +
      "401 invalid_credentials (throttled per client address). Over the concurrent limit with DENY_NEW: 409 session_limit_reached. " +
      "A login a browser sends from another origin (an Origin header other than this server's) is refused with 403 (login CSRF).",
    middleware: [refuseOtherOrigin, requireJsonBody()] as const,
    request: { body: { required: true, content: { "application/json": { schema: LoginBodySchema } } } },
    responses: {
      201: {
        description: "Logged in: a session was created; Location is its path (where it can be ended).",
        headers: CREATED_HEADERS,
        content: { "application/json": { schema: LoginResponseSchema } },
      },
      200: {
        description: "A service ID's CLI login: an access token and no session (nothing addressable was created).",
        headers: REQUEST_ID_HEADER,
        content: { "application/json": { schema: LoginResponseSchema } },
      },
      ...errorResponses(400, 401, 403, 404, 409, 413, 415),
    },
  });
  const token = createRoute({
    method: "post",
    path: "/",
    operationId: "createAccessToken",
    tags: [TAG],
    summary: "Exchange an identity API key for a short access token (creates no session)",
    middleware: [requireJsonBody()] as const,
    request: { body: { required: true, content: { "application/json": { schema: TokenRequestSchema } } } },
    responses: {
      200: { description: "An access token (no session, nothing addressable is created).", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: AccessTokenSchema } } },
      ...errorResponses(400, 401, 404, 413, 415),
    },
  });
  const current = createRoute({
    method: "get",
    path: "/",
    operationId: "getCurrentSession",
    tags: [TAG],
    summary: "Validate and touch the current session (cookie or Bearer session token)",
    description: "Answers the session, when it expires and the limits that apply with their provenance. An ended session: 401 with its reason as the code.",
    security: [{ SessionCookie: [] }, { Bearer: [] }],
    responses: {
      200: { description: "The session is valid.", headers: REQUEST_ID_HEADER, content: { "application/json": { schema: CurrentSessionSchema } } },
      ...errorResponses(401, 403),
    },
  });
  const logout = createRoute({
    method: "delete",
    path: "/",
    operationId: "deleteCurrentSession",
    tags: [TAG],
    summary: "Log out: end the current session and clear the cookie",
    security: [{ SessionCookie: [] }, { Bearer: [] }],
    responses: {
      204: { description: "Logged out; `Set-Cookie` clears the cookie.", headers: REQUEST_ID_HEADER },
      ...errorResponses(401, 403),
    },
  });
  return { login, token, current, logout };
}

/** Login CSRF: checked before the body is read, so a page elsewhere learns nothing from the answer. */
const refuseOtherOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  checkLoginOrigin(c);
  await next();
};

/** The current-session routes need a session (the cookie or a session token), not an API key or access token. */
const SESSION_ONLY: AccessRule = (c) => {
  if (!c.get("session")) throw notASession();
};

function sessionOf(c: Context<AppEnv>) {
  const s = c.get("session");
  if (!s) throw notASession();
  return s;
}

function accessTokens({ write, clock }: RouteDeps) {
  return async (iamId: string, accountId: string, keyId: string) => {
    const token = generateToken(ACCESS_TOKEN_PREFIX);
    const now = clock.now();
    const expiresAt = now + ACCESS_TOKEN_SECONDS * 1000;
    await write.credentials.createAccessToken(hashToken(token), { iamId, accountId, keyId, createdAt: now, expiresAt });
    return { token, token_type: "access" as const, expires_at: iso(expiresAt) };
  };
}

/** Mounted at /v1/sessions: public (the credential is in the body, or a federation key asserts the user). */
export function loginApp(deps: RouteDeps) {
  const { store, sessions: engine, throttle } = deps;
  const issueAccessToken = accessTokens(deps);
  const app = resourceApp(PUBLIC);
  app.openapi(sessionRoutes().login, async (c) => {
    const body = c.req.valid("json");
    const client = clientOf(c);
    const authorization = c.req.header("authorization");
    let iamId: string;
    let profileId: string | null = null;
    let credentialKeyId: string | null = null;
    /** The identity's membership of the account and kind, when read with the credential (the CLI login's key). */
    let identity: { member: boolean; kind: IdentityKind | undefined } | undefined;

    const failed = (): never => {
      throw failedCredential(throttle, c, invalidCredentials());
    };
    refuseWhileThrottled(throttle, c);

    if (body.profile_id !== undefined || body.subject !== undefined) {
      // Federated: a federation key of the account asserts the user; the profile must be the account's.
      if (body.profile_id === undefined) throw loginField("profile_id", "profile_id: required with subject");
      if (body.subject === undefined) throw loginField("subject", "subject: required with profile_id");
      const m = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i.exec(authorization ?? "");
      const key = m ? store.credentials.federationKeyByHash(hashApiKey(m[1]!)) : undefined;
      if (!key || key.revokedAt !== null) return failed();
      if (key.ownerId !== body.account_id) throw accountNotFound(body.account_id);
      const profile = store.profiles.get(body.account_id, body.profile_id);
      if (!profile) throw profileNotFound(body.profile_id);
      profileId = body.profile_id;
      iamId = `${body.profile_id}:${body.subject}`;
    } else if (body.channel === "console") {
      if (body.iam_id === undefined) throw loginField("iam_id", "iam_id: required for a console login");
      if (body.password === undefined) throw loginField("password", "password: required for a console login");
      if (body.api_key !== undefined) throw loginField("api_key", "api_key: a console login uses iam_id and password");
      const stored = store.credentials.password(body.iam_id);
      // The same scrypt whether or not the identity has a password, so timing does not tell.
      const ok = await verifyPassword(body.password, stored ?? (await dummyHash()));
      if (!stored || !ok) return failed();
      iamId = body.iam_id;
      if (store.credentials.kindOf(iamId) === "service_id") {
        throw consoleLoginNotAllowed();
      }
    } else {
      if (body.api_key === undefined) throw loginField("api_key", "api_key: required for a CLI login");
      if (body.iam_id !== undefined || body.password !== undefined) throw loginField(body.iam_id !== undefined ? "iam_id" : "password", "a CLI login uses api_key only");
      const found = store.credentials.identityKeyLogin(hashApiKey(body.api_key), body.account_id);
      if (!found || found.key.revokedAt !== null) return failed();
      iamId = found.key.ownerId;
      credentialKeyId = found.key.id;
      identity = found;
    }

    // Authenticated: from here the answers may say what this identity may know (its own accounts).
    if (profileId === null && !(identity ? identity.member : await store.policy.isMember(body.account_id, iamId))) {
      throw accountNotFound(body.account_id);
    }
    c.header("Cache-Control", "no-store");
    if (profileId === null && (identity ? identity.kind : store.credentials.kindOf(iamId)) === "service_id") {
      // A service ID's CLI login: a token, no session (so session limits never apply to it).
      return c.json({ session: null, ...(await issueAccessToken(iamId, body.account_id, credentialKeyId!)) }, 200);
    }
    const result = await engine.login({ iamId, accountId: body.account_id, channel: body.channel, profileId, credentialKeyId, ...client });
    if (!result.ok) throw sessionLimitReached(result.limits.maxSessions, result.limits.provenance.max_sessions_per_identity.source);
    const view = sessionView(result.session, result.limits, result.session.sessionId);
    const answer = { session: view, token_type: "session" as const, expires_at: view.expires_at!, limits: limitsBody(result.limits) };
    c.header("Location", resourcePath("v1", "identities", iamId, "sessions", result.session.sessionId));
    if (body.channel === "console") {
      c.header("Set-Cookie", sessionCookie(result.token));
      return c.json(answer, 201);
    }
    return c.json({ ...answer, token: result.token }, 201);
  });
  return app;
}

/** Mounted at /v1/tokens: public (the identity API key is in the body). */
export function tokensApp(deps: RouteDeps) {
  const { store, throttle } = deps;
  const issueAccessToken = accessTokens(deps);
  const app = resourceApp(PUBLIC);
  app.openapi(sessionRoutes().token, async (c) => {
    const body = c.req.valid("json");
    const key = store.credentials.identityKeyByHash(hashApiKey(body.api_key));
    if (!key || key.revokedAt !== null) throw failedCredential(throttle, c, invalidCredentials());
    if (!(await store.policy.isMember(body.account_id, key.ownerId))) throw accountNotFound(body.account_id);
    c.header("Cache-Control", "no-store");
    return c.json(await issueAccessToken(key.ownerId, body.account_id, key.id), 200);
  });
  return app;
}

/** Mounted at /v1/session: the session of the request (cookie or Bearer session token). */
export function currentSessionApp(deps: RouteDeps) {
  const engine = deps.sessions;
  const routes = sessionRoutes();
  const app = resourceApp(SESSION_ONLY);
  app.openapi(routes.current, (c) => {
    const s = sessionOf(c);
    const role = c.get("principal").role as "viewer" | "editor" | "administrator" | "owner";
    const identityName = s.record.profileId === null ? (deps.store.directory.getIdentity(s.record.iamId)?.name ?? null) : null;
    const view = sessionView(s.record, s.limits, s.record.sessionId, { expiresAt: s.expiresAt, idleExpiresAt: s.idleExpiresAt });
    return c.json({ session: view, limits: limitsBody(s.limits), role, identity_name: identityName }, 200);
  });

  app.openapi(routes.logout, async (c) => {
    const s = sessionOf(c);
    await engine.end({ sessionId: s.record.sessionId }, "logout", s.record.iamId);
    c.header("Set-Cookie", CLEARING_COOKIE);
    return c.body(null, 204);
  });
  return app;
}
