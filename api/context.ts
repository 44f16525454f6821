// What every request carries through the middleware chain.
import type { Precondition } from "./db/precondition.ts";
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
  /** For a session or access token: the identity it acts as (keyId is then the iam_id too). */
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
    /** Set when a session token or cookie authenticated the request. */
    session?: RequestSession;
  };
}
