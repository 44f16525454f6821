// The one interface through which the engine reaches its data. Nothing here knows SQLite: api/db/sessions.ts
// implements it on the API's SQLite database; a shared database for several API nodes would implement the same
// methods (admit: lock the identity's row with SELECT … FOR UPDATE or an advisory lock, then decide and write in
// that transaction).
import type { AccountLevels } from "../effective.ts";
import type { Channel, EndOrder, EndReason, NewSession, SessionLimits, SessionRecord } from "./model.ts";

export type AdmitDecision = { admit: boolean; end: EndOrder[] };

/** Which sessions an operation is about; every given field must match. */
export interface SessionFilter {
  sessionId?: string;
  iamId?: string;
  accountId?: string;
  credentialKeyId?: string;
  /** Leave this session out (a password change ends the identity's *other* sessions). */
  exceptSessionId?: string;
}

/**
 * One page of a session list: at most `limit` sessions after `after` in the list's order, newest first (created_at
 * descending, then session_id descending); `after` null: from the newest.
 */
export interface SessionPage {
  after: { createdAt: number; sessionId: string } | null;
  limit: number;
}

export interface SessionStore {
  /**
   * In ONE exclusive transaction for the identity: reads its active sessions, lets the concurrent-limit rule
   * (`decideAdmission` of admission.ts, pure) choose under `limits` which to end and whether to admit `fresh`, ends
   * them and inserts `fresh` if admitted. Concurrent admits of one identity (from any process sharing the store) run
   * one after the other, so the limit holds. `limits` null (no limit applies): insert without reading the identity's
   * sessions.
   */
  admit(fresh: NewSession, limits: SessionLimits | null): Promise<AdmitDecision>;
  findByTokenHash(tokenHash: Buffer): Promise<SessionRecord | undefined>;
  /** How many sessions of the identity are not yet ended (including any past a limit that no request has ended). */
  countActive(iamId: string): Promise<number>;
  /**
   * In ONE exclusive transaction for the identity, like admit: reads its active sessions, ends those the rule
   * (`decideTrim` of admission.ts) chooses under `limits`, and returns what it ended.
   */
  trim(iamId: string, limits: SessionLimits, now: number): Promise<EndOrder[]>;
  /** Records an access at `at` if it is later than the recorded one; true when a row was written. */
  touch(sessionId: string, at: number): Promise<boolean>;
  /** Ends every active session matching the filter; returns the ids ended (already ended ones are left as they are). */
  end(filter: SessionFilter, reason: EndReason, endedBy: string | null, at: number): Promise<string[]>;
  /** Carries out end orders in one transaction (orders for sessions that already ended are skipped). */
  endEach(orders: EndOrder[], at: number): Promise<void>;
  /** One page of the active sessions, and ended ones that ended at or after `endedSince` (newest first). */
  list(filter: SessionFilter, endedSince: number, page: SessionPage): Promise<SessionRecord[]>;
  /**
   * Housekeeping: ends active sessions past the largest lifetime or idle time any setting allows (whatever the
   * settings now are), deletes ended sessions older than `deleteEndedBefore` and expired access tokens.
   */
  reap(now: number, maxLifetimeMs: number, maxIdleMs: number, deleteEndedBefore: number): Promise<void>;
}

/** Where the limits come from: memberships, settings and trusted profiles, read fresh at every call. */
export interface PolicySource {
  /** The levels of every account the identity belongs to (accepted memberships only). */
  levelsForIdentity(iamId: string): Promise<AccountLevels[]>;
  levelsForAccount(accountId: string): Promise<AccountLevels | undefined>;
  /** A trusted profile's account and its session duration (a canonical decimal or NOT_SET). */
  profile(profileId: string): Promise<{ accountId: string; sessionDuration: string } | undefined>;
  isMember(accountId: string, iamId: string): Promise<boolean>;
}

export interface SessionOrigin {
  channel: Channel;
  clientAddress: string | null;
  userAgent: string | null;
}
