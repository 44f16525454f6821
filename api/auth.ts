// Authentication (Bearer API keys) and authorisation (roles per account).
//
// Who may do what:
//   platform administrator  everything, on every account
//   owner                   read + write its account's settings, create keys for its account
//   administrator, editor   read + write its account's settings
//   viewer                  read its account's settings
// A key never learns anything about another account: every account route answers 404 for it, exactly as for an
// account that does not exist. Within its own account, a role that may not do something gets 403.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, Principal } from "./context.ts";
import type { Store } from "./db/store.ts";
import { ApiError, forbidden, notFound, unauthorized } from "./errors.ts";
import { hashApiKey, type Role } from "./keys.ts";

export type AccountAction = "read_settings" | "write_settings" | "create_keys";

const ALLOWED: Record<AccountAction, readonly Role[]> = {
  read_settings: ["viewer", "editor", "administrator", "owner"],
  write_settings: ["editor", "administrator", "owner"],
  create_keys: ["owner"],
};

const ACTION_WORDS: Record<AccountAction, string> = {
  read_settings: "read this account's settings",
  write_settings: "change this account's settings",
  create_keys: "create API keys for this account",
};

const BEARER = /^Bearer[ ]+([\x21-\x7e]+)[ ]*$/i;

/** Resolves `Authorization: Bearer <key>` to a principal, or answers 401. */
export function authenticate(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw unauthorized("missing");
    const match = BEARER.exec(header);
    if (!match) throw unauthorized("invalid");
    // Lookup by the key's SHA-256 hash: the secret itself is never compared, so no timing channel on it.
    const key = store.findApiKeyByHash(hashApiKey(match[1]!));
    if (!key) throw unauthorized("invalid");
    c.set("principal", { keyId: key.id, keyName: key.name, role: key.role, accountId: key.account_id });
    await next();
  };
}

export function isPlatformAdmin(p: Principal): boolean {
  return p.role === "platform_admin" && p.accountId === null;
}

export function accountNotFound(accountId: string): ApiError {
  return notFound(`account "${accountId}"`, { type: "parameter", name: "account_id" });
}

/** Checks the principal may do `action` on the account in the path; 404 for accounts it may not see. */
export function checkAccountAccess(c: Context<AppEnv>, store: Store, accountId: string, action: AccountAction): void {
  const p = c.get("principal");
  if (isPlatformAdmin(p)) {
    if (!store.getAccount(accountId)) throw accountNotFound(accountId);
    return;
  }
  if (p.accountId !== accountId) throw accountNotFound(accountId);
  if (!ALLOWED[action].includes(p.role as Role)) {
    throw forbidden(`a key with role "${p.role}" may not ${ACTION_WORDS[action]}`);
  }
}

/** Route middleware form of checkAccountAccess, run before any body validation (so no 400 leaks existence). */
export function requireAccountAccess(store: Store, action: AccountAction): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    checkAccountAccess(c, store, c.req.param("account_id") ?? "", action);
    await next();
  };
}

export function requirePlatformAdmin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isPlatformAdmin(c.get("principal"))) throw forbidden("only a platform administrator may do this");
    await next();
  };
}
