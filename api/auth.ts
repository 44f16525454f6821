// Authentication (Bearer API keys) and authorisation (roles per account and per enterprise).
//
// Who may do what:
//   platform administrator  everything, on every account and enterprise
//   owner                   read + write, manage members, create keys
//   administrator           read + write, manage members
//   editor                  read + write (settings, trusted profiles)
//   viewer                  read
// A key's role applies to its account; an enterprise key's role applies to its enterprise AND to every account
// linked to that enterprise (looked up on every request, so unlinking takes effect at once).
// A key never learns anything about an account or enterprise it has no role on: every route answers 404 for it,
// exactly as for one that does not exist. Where it has a role that may not do something, it gets 403.
import { KeyCache, touchDue } from "./db/api-keys.ts";
import { isBusyError, WriteBusyError } from "./db/write-queue.ts";
import { remote, type Writer } from "./db/writer.ts";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Principal } from "./context.ts";
import type { Store } from "./db/store.ts";
import { accountNotFound, enterpriseNotFound, forbidden, identityNotFound, unauthorized } from "./errors.ts";
import { hashApiKey, type Role } from "./keys.ts";
import { readSessionCookie } from "./sessions/cookie.ts";
import { accessTokenPrincipal, checkCookieOrigin, sessionPrincipal, type SessionAuthDeps } from "./sessions/http-auth.ts";
import { ACCESS_TOKEN_PREFIX, SESSION_TOKEN_PREFIX } from "./sessions/tokens.ts";
import { failedCredential, type FailureThrottle } from "./throttle.ts";

export type AccountAction =
  | "read_settings"
  | "write_settings"
  | "create_keys"
  | "manage_keys"
  | "manage_members"
  | "write_trusted_profiles"
  | "manage_enterprise_link"
  | "manage_sessions";

export type EnterpriseAction = "read_settings" | "write_settings" | "create_keys" | "manage_keys";

const ALLOWED: Record<AccountAction, readonly Role[]> = {
  read_settings: ["viewer", "editor", "administrator", "owner"],
  write_settings: ["editor", "administrator", "owner"],
  create_keys: ["owner"],
  manage_keys: ["owner"],
  manage_members: ["administrator", "owner"],
  write_trusted_profiles: ["editor", "administrator", "owner"],
  // Only through an enterprise key (an account's own keys may never move it): see checkEnterpriseLinkAccess.
  manage_enterprise_link: ["administrator", "owner"],
  // Listing and ending the sessions of an account's members (issue #13).
  manage_sessions: ["administrator", "owner"],
};

const ACTION_WORDS: Record<AccountAction, string> = {
  read_settings: "read this account's settings",
  write_settings: "change this account's settings",
  create_keys: "create API keys for this account",
  manage_keys: "list or revoke this account's API keys",
  manage_members: "change this account's members",
  write_trusted_profiles: "change this account's trusted profiles",
  manage_enterprise_link: "change this account's enterprise",
  manage_sessions: "list or end this account's sessions",
};

const ENTERPRISE_ACTION_WORDS: Record<EnterpriseAction, string> = {
  read_settings: "read this enterprise's settings",
  write_settings: "change this enterprise's settings",
  create_keys: "create API keys for this enterprise",
  manage_keys: "list or revoke this enterprise's API keys",
};

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

/**
 * Resolves the caller to a principal, or answers 401 — 429 with Retry-After instead once the client's address has
 * failed too often (api/throttle.ts): `Authorization: Bearer` with an API key, a session token (`iamss_`) or an access
 * token (`iamat_`); without an Authorization header, the console's session cookie (and then a changing request must
 * come from this origin: see checkCookieOrigin). A missing credential is not a failure (nothing was guessed); a valid
 * one is looked up first and so never throttled; unknown, revoked and expired ones are failures. Routes that take
 * their credential in the body (logins) are listed in PUBLIC_ROUTES and skip this.
 */
export function authenticate(store: Store, writer: Writer, throttle: FailureThrottle | null, sessions: SessionAuthDeps): MiddlewareHandler<AppEnv> {
  // A key's last use is worth no wait for another connection's lock: the next use records it.
  const touch = remote<Store>(writer, { waitForLock: false }).keys.touch;
  // Keys already looked up, trusted while no key's authority changed (see KeyCache): a revocation still takes effect
  // with the next request. Made at the first request: building the app (for the OpenAPI document) reads no database.
  let keys: KeyCache | undefined;
  const failed = (c: Context, why: "invalid" | "revoked" | "expired"): never => {
    throw failedCredential(throttle, c, unauthorized(why));
  };
  return async (c, next) => {
    if (PUBLIC_ROUTES.has(`${c.req.method} ${c.req.path}`)) return next();
    const header = c.req.header("authorization");
    if (!header) {
      const cookie = readSessionCookie(c);
      if (!cookie) throw unauthorized("missing");
      checkCookieOrigin(c);
      c.set("principal", await sessionPrincipal(c, sessions, cookie, true));
      return next();
    }
    const match = BEARER.exec(header);
    if (!match) failed(c, "invalid");
    const token = match![1]!;
    if (token.startsWith(SESSION_TOKEN_PREFIX)) {
      c.set("principal", await sessionPrincipal(c, sessions, token, false));
      return next();
    }
    if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
      c.set("principal", await accessTokenPrincipal(c, sessions, token));
      return next();
    }
    // Lookup by the key's SHA-256 hash: the secret itself is never compared, so no timing channel on it.
    const hash = hashApiKey(token);
    keys ??= new KeyCache(store.keys);
    const found = keys.find(hash);
    if (!found) return failed(c, "invalid");
    if (found.state !== "active") return failed(c, found.state);
    const key = found.key;
    // On the writer (a commit on the event loop would wait there for its fsync), awaited so that this request already
    // sees its own use; best effort: when another connection holds the lock, the next use records it.
    if (touchDue(key)) {
      try {
        await touch(key);
        keys.touched(hash);
      } catch (err) {
        if (!(err instanceof WriteBusyError) && !isBusyError(err)) throw err;
      }
    }
    c.set("principal", {
      keyId: key.id,
      keyName: key.name,
      role: key.role,
      accountId: key.account_id,
      enterpriseId: key.enterprise_id,
    });
    await next();
  };
}

/** Routes that authenticate from their body (a password, an API key) or a federation key, not a principal. */
export const PUBLIC_ROUTES = new Set(["POST /v1/sessions", "POST /v1/tokens"]);

export function isPlatformAdmin(p: Principal): boolean {
  return p.role === "platform_admin" && p.accountId === null && p.enterpriseId === null;
}

/**
 * The principal's role on an account: "platform_admin" for a platform administrator (if the account exists), the
 * key's role for its own account or an account linked to its enterprise, otherwise undefined (not visible).
 */
export function roleOnAccount(store: Store, p: Principal, accountId: string): Role | "platform_admin" | undefined {
  if (isPlatformAdmin(p)) return store.getAccount(accountId) ? "platform_admin" : undefined;
  if (p.role === "platform_admin") return undefined;
  if (p.accountId !== null) return p.accountId === accountId ? p.role : undefined;
  if (p.enterpriseId !== null && store.directory.enterpriseOf(accountId) === p.enterpriseId) return p.role;
  return undefined;
}

/** The principal's role on an enterprise, or undefined when it may not see it (or it does not exist). */
export function roleOnEnterprise(store: Store, p: Principal, enterpriseId: string): Role | "platform_admin" | undefined {
  if (isPlatformAdmin(p)) return store.getEnterprise(enterpriseId) ? "platform_admin" : undefined;
  if (p.role === "platform_admin") return undefined;
  return p.enterpriseId === enterpriseId ? p.role : undefined;
}

/** Checks the principal may do `action` on the account; 404 for accounts it may not see. */
export function checkAccountAccess(c: Context<AppEnv>, store: Store, accountId: string, action: AccountAction): void {
  const p = c.get("principal");
  const role = roleOnAccount(store, p, accountId);
  if (role === undefined) throw accountNotFound(accountId);
  if (role === "platform_admin") return;
  if (!ALLOWED[action].includes(role)) throw forbidden(`a key with role "${role}" may not ${ACTION_WORDS[action]}`);
}

/** Checks the principal may do `action` on the enterprise; 404 for enterprises it may not see. */
export function checkEnterpriseAccess(c: Context<AppEnv>, store: Store, enterpriseId: string, action: EnterpriseAction): void {
  const p = c.get("principal");
  const role = roleOnEnterprise(store, p, enterpriseId);
  if (role === undefined) throw enterpriseNotFound(enterpriseId);
  if (role === "platform_admin") return;
  if (!ALLOWED[action].includes(role)) throw forbidden(`a key with role "${role}" may not ${ENTERPRISE_ACTION_WORDS[action]}`);
}

// --- access rules of the resources (api/routes/resource.ts runs them before anything else of an operation) -------

export type AccessCheck = (c: Context<AppEnv>) => void;

/** `action` on the account in the path (`account_id`). */
export function accountAccess(store: Store, action: AccountAction): AccessCheck {
  return (c) => checkAccountAccess(c, store, c.req.param("account_id") ?? "", action);
}

/** `action` on the enterprise in the path (`enterprise_id`). */
export function enterpriseAccess(store: Store, action: EnterpriseAction): AccessCheck {
  return (c) => checkEnterpriseAccess(c, store, c.req.param("enterprise_id") ?? "", action);
}

/**
 * Linking and unlinking the account in the path (before the body is read): a platform administrator (the account
 * must exist), or, to unlink, an owner/administrator of the enterprise it is linked to. An account's own keys see
 * their account but may not move it: 403.
 */
export function enterpriseLinkAccess(store: Store, mode: "link" | "unlink"): AccessCheck {
  return (c) => {
    const accountId = c.req.param("account_id") ?? "";
    const p = c.get("principal");
    const role = roleOnAccount(store, p, accountId);
    if (role === undefined) throw accountNotFound(accountId);
    if (role === "platform_admin") return;
    // Linking gives an enterprise's keys rights on the account, so only the platform decides it: an enterprise
    // adopting (or taking from another enterprise) any account it names would be a takeover. Unlinking only
    // gives rights up, so the linked enterprise's owner or administrator may do it.
    if (mode === "link") {
      throw forbidden("only a platform administrator may link an account to an enterprise");
    }
    if (p.enterpriseId === null || !ALLOWED.manage_enterprise_link.includes(role)) {
      throw forbidden(
        p.enterpriseId === null
          ? "only a platform administrator or an owner or administrator of the enterprise may change an account's enterprise"
          : `a key with role "${role}" may not ${ACTION_WORDS.manage_enterprise_link}`,
      );
    }
  };
}

export const platformAdminOnly: AccessCheck = (c) => {
  if (!isPlatformAdmin(c.get("principal"))) throw forbidden("only a platform administrator may do this");
};

/**
 * Whether the principal may see an identity: the platform administrator, the identity itself, or a key with a role
 * on at least one of the identity's accounts (otherwise 404, as if it did not exist). Call inside a store snapshot.
 */
export function identityVisible(store: Store, p: Principal, iamId: string): boolean {
  if (!store.directory.getIdentity(iamId)) return false;
  if (isPlatformAdmin(p) || (p.iamId !== undefined && p.iamId === iamId)) return true;
  return store.directory.accountsOf(iamId).some((a) => roleOnAccount(store, p, a) !== undefined);
}

/** The identity in the path (`iam_id`) must be visible to the principal. */
export function identityAccess(store: Store): AccessCheck {
  return (c) => {
    const iamId = c.req.param("iam_id") ?? "";
    if (!store.snapshot(() => identityVisible(store, c.get("principal"), iamId))) throw identityNotFound(iamId);
  };
}

const RANK: Record<Role, number> = { viewer: 0, editor: 1, administrator: 2, owner: 3 };

/**
 * A caller may give (by invitation or a role change) at most its own role, and may change or remove only members
 * whose role is not above its own: an administrator cannot make an owner (who may mint keys), nor demote one.
 */
export function checkRoleCeiling(c: Context<AppEnv>, store: Store, accountId: string, roles: Array<Role | undefined>): void {
  const mine = roleOnAccount(store, c.get("principal"), accountId);
  if (mine === undefined || mine === "platform_admin") return;
  for (const r of roles) {
    if (r !== undefined && RANK[r] > RANK[mine]) {
      throw forbidden(`a key with role "${mine}" may not give or change the role "${r}" (at most its own role)`);
    }
  }
}

/**
 * Routes about an identity itself (its invitations): the identity's own session, or the platform administrator
 * (who acts on its behalf until sessions exist). Anyone else gets 404, as for an identity that does not exist.
 */
export function identitySelfAccess(store: Store): AccessCheck {
  return (c) => {
    const iamId = c.req.param("iam_id") ?? "";
    const p = c.get("principal");
    const self = p.iamId !== undefined && p.iamId === iamId;
    if (!(self || isPlatformAdmin(p)) || !store.directory.getIdentity(iamId)) throw identityNotFound(iamId);
  };
}
