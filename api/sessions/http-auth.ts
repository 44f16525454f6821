// Authentication by session token (the cookie, or `Authorization: Bearer iamss_…`) and by access token
// (`Bearer iamat_…`), next to the API keys of api/auth.ts. A session or access token acts as its identity in the
// account it was issued for, with the rights of the identity's membership role there (membershipRole).
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { AppEnv, Principal } from "../context.ts";
import type { CredentialStore } from "../db/credentials.ts";
import type { DirectoryStore } from "../db/directory.ts";
import { failedCredential, type FailureThrottle } from "../throttle.ts";
import { forbidden, unauthorized } from "../errors.ts";
import type { Role } from "../keys.ts";
import type { Clock } from "./clock.ts";
import type { SessionEngine } from "./engine.ts";
import { sessionEnded } from "./errors.ts";
import type { PolicySource } from "./store.ts";
import { hashToken } from "./tokens.ts";

export interface SessionAuthDeps {
  engine: SessionEngine;
  credentials: CredentialStore;
  policy: PolicySource;
  directory: DirectoryStore;
  clock: Clock;
  throttle: FailureThrottle | null;
}

/**
 * The rights a member's own sessions and tokens have in an account: its membership's role there, read at every
 * request (a changed role applies at once). A federated session, which has no membership, is a viewer.
 */
export function membershipRole(deps: SessionAuthDeps, accountId: string, iamId: string): Role {
  return deps.directory.memberRole(accountId, iamId) ?? "viewer";
}

export async function sessionPrincipal(c: Context<AppEnv>, deps: SessionAuthDeps, token: string, viaCookie: boolean): Promise<Principal> {
  const result = await deps.engine.validate(token);
  // An unknown token is a failed authentication like a wrong key (throttled); an ended one was real.
  if (!result.ok) throw result.reason === null ? failedCredential(deps.throttle, c, sessionEnded(null, viaCookie)) : sessionEnded(result.reason, viaCookie);
  const s = result.session;
  c.set("session", { record: s, limits: result.limits, expiresAt: result.expiresAt, idleExpiresAt: result.idleExpiresAt, viaCookie });
  return {
    keyId: s.iamId,
    keyName: `session ${s.sessionId}`,
    role: s.profileId === null ? membershipRole(deps, s.accountId, s.iamId) : "viewer",
    accountId: s.accountId,
    enterpriseId: null,
    iamId: s.iamId,
    sessionId: s.sessionId,
  };
}

export async function accessTokenPrincipal(c: Context<AppEnv>, deps: SessionAuthDeps, token: string): Promise<Principal> {
  const t = deps.credentials.accessTokenByHash(hashToken(token));
  if (!t || t.expiresAt <= deps.clock.now() || !(await deps.policy.isMember(t.accountId, t.iamId))) {
    throw failedCredential(deps.throttle, c, unauthorized("invalid"));
  }
  return {
    keyId: t.iamId,
    keyName: `access token of ${t.keyId}`,
    role: membershipRole(deps, t.accountId, t.iamId),
    accountId: t.accountId,
    enterpriseId: null,
    iamId: t.iamId,
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Login CSRF: a login that a browser sends from another origin (a page elsewhere logging the visitor in to the
 * attacker's account) is refused. Without Origin (a CLI, curl) it is not a browser's cross-site request.
 */
export function checkLoginOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin === undefined) return; // not a browser's cross-origin request (and parsing the URL is not free)
  const own = new URL(c.req.url).origin;
  if (origin !== own) throw forbidden(`a login must come from this origin (${own}); Origin was ${origin}`);
}

/**
 * CSRF: a request authenticated by the cookie that changes something must come from this origin. Browsers send
 * Origin with every cross-origin and every non-GET request, so a missing or other Origin is refused. A cookie read
 * from another site is refused too (Sec-Fetch-Site), so no other page can touch the session.
 */
export function checkCookieOrigin(c: Context<AppEnv>): void {
  if (SAFE_METHODS.has(c.req.method)) {
    // A read is harmless to send, but it is an access: a page of another site (or another port of this host) could
    // keep a victim's session from idling out by loading it. Browsers say where a request comes from in
    // Sec-Fetch-Site; such a read is refused before the session is looked at (non-browser clients send no header).
    const site = c.req.header("sec-fetch-site");
    if (site !== undefined && site !== "same-origin" && site !== "none") {
      throw forbidden(`a request authenticated by the session cookie must come from this origin; Sec-Fetch-Site was ${site}`);
    }
    return;
  }
  const origin = c.req.header("origin");
  const own = new URL(c.req.url).origin;
  if (origin !== own) throw forbidden(`a request authenticated by the session cookie must come from this origin (${own}); Origin was ${origin ?? "missing"}`);
}

/** The client's address and user agent, as recorded on a session (never a credential). */
export function clientOf(c: Context<AppEnv>): { clientAddress: string | null; userAgent: string | null } {
  let clientAddress: string | null = null;
  try {
    clientAddress = getConnInfo(c).remote.address ?? null;
  } catch {
    // Not served by @hono/node-server (app.request in a unit test): no address.
  }
  const ua = c.req.header("user-agent");
  return { clientAddress, userAgent: ua ? ua.slice(0, 300) : null };
}
