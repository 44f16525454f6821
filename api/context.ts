// What every request carries through the middleware chain.
import type { Precondition } from "./db/precondition.ts";
import type { IdempotencyContext } from "./idempotency.ts";
import type { Role } from "./keys.ts";
import type { SessionLimits, SessionRecord } from "./sessions/model.ts";

/**
 * The caller, as authenticated by its API key. An account key has an account, an enterprise key an enterprise
 * (and its role also on every account linked to that enterprise); a platform administrator has neither.
 */
export interface Principal {
  keyId: string;
  keyName: string;
  role: Role | "platform_admin";
  accountId: string | null;
  enterpriseId: string | null;
  /**
   * Set for an identity's own session or token (the session engine): the identity the caller is. Its `role` on its
   * `accountId` is then its membership's role, `store.directory.memberRole(accountId, iamId)`, read on every request.
   */
  iamId?: string;
  /** For a session token or cookie: the session. */
  sessionId?: string;
}

/** The validated session of a request authenticated by a session token or cookie (issue #13). */
export interface RequestSession {
  record: SessionRecord;
  limits: SessionLimits;
  expiresAt: number;
  idleExpiresAt: number;
  viaCookie: boolean;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    principal: Principal;
    /** Set by requireIfMatch on conditional writes. */
    precondition: Precondition;
    /** Set on a POST that carries an Idempotency-Key. */
    idempotency?: IdempotencyContext;
    /** Set when a session token or cookie authenticated the request. */
    session?: RequestSession;
  };
}
