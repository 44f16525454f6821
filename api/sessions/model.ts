// The session engine's vocabulary: sessions, why they end, and the limits that apply to them.
import type { SessionEndReason as EndReason } from "../../schemas/session-wire.ts";
import type { SessionLimitAction } from "../../schemas/settings.ts";

export type Channel = "console" | "cli";

/** Why a session ended; stored with it and shown in listings and in the 401 of its next use. */
export { SESSION_END_REASONS as END_REASONS } from "../../schemas/session-wire.ts";
export type { SessionEndReason as EndReason } from "../../schemas/session-wire.ts";

export const END_REASON_WORDS: Record<EndReason, string> = {
  logout: "the session was logged out",
  idle_timeout: "the session was idle longer than the inactivity limit",
  lifetime_expired: "the session reached its maximum lifetime",
  ended_by_self: "the session was ended by its identity",
  ended_by_admin: "the session was ended by an administrator",
  evicted_by_limit: "the session was ended because a newer login reached the concurrent-session limit",
  membership_removed: "the identity is no longer a member of the session's account",
  credential_changed: "the identity's password was changed",
  key_revoked: "the API key the session was created with was revoked",
};

/** One session as stored. Times are milliseconds since the epoch. */
export interface SessionRecord {
  sessionId: string;
  iamId: string;
  accountId: string;
  channel: Channel;
  /** The trusted profile a federated user assumed; null for a user's own login. */
  profileId: string | null;
  /** The identity API key a CLI login used (so revoking the key ends the session); null otherwise. */
  credentialKeyId: string | null;
  createdAt: number;
  /** The last recorded access: at most one write per session per write interval (see expiry.ts). */
  lastAccessAt: number;
  endedAt: number | null;
  endReason: EndReason | null;
  /** Who or what ended it: the session that evicted it, or the actor (iam_id or key id). */
  endedBy: string | null;
  clientAddress: string | null;
  userAgent: string | null;
}

export type NewSession = Omit<SessionRecord, "endedAt" | "endReason" | "endedBy"> & { tokenHash: Buffer };

export type LimitSource = "account" | "enterprise" | "default" | "trusted_profile";

/** One limit and where it comes from (the effective-settings provenance, plus a trusted profile's cap). */
export interface LimitValue {
  value: string;
  source: LimitSource;
  source_id: string | null;
  account_id: string | null;
}

/** What applies to one identity's sessions now, computed from the current settings. */
export interface SessionLimits {
  lifetimeSeconds: number;
  idleSeconds: number;
  /** Infinity when unlimited. */
  maxSessions: number;
  action: SessionLimitAction;
  provenance: {
    session_expiration_in_seconds: LimitValue;
    session_invalidation_in_seconds: LimitValue;
    max_sessions_per_identity: LimitValue;
    max_sessions_exceeded_action: LimitValue;
  };
}

/** An instruction to end one session, carried out in the same transaction as the decision. */
export interface EndOrder {
  sessionId: string;
  reason: EndReason;
  endedBy: string | null;
}
