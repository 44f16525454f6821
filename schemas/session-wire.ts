// The session engine's response bodies (issue #13) as TypeScript types, for the console and the tests; the zod
// schemas in api/session-schemas.ts validate and document them, and api/wire-check.ts fails type-checking when the
// two disagree.
import type { SessionLimitAction } from "./settings.ts";

export const SESSION_END_REASONS = [
  "logout",
  "idle_timeout",
  "lifetime_expired",
  "ended_by_self",
  "ended_by_admin",
  "evicted_by_limit",
  "membership_removed",
  "credential_changed",
  "key_revoked",
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** One limit of a session and where it comes from. */
export interface SessionLimitValue {
  value: string;
  source: "account" | "enterprise" | "default" | "trusted_profile";
  source_id: string | null;
  account_id: string | null;
}

export interface SessionLimitsBody {
  session_expiration_in_seconds: SessionLimitValue;
  session_invalidation_in_seconds: SessionLimitValue;
  max_sessions_per_identity: SessionLimitValue;
  max_sessions_exceeded_action: SessionLimitValue & { value: SessionLimitAction };
  /** W: the last access is written at most once per W seconds. */
  last_access_write_interval_seconds: number;
}

export interface SessionBody {
  session_id: string;
  iam_id: string;
  account_id: string;
  channel: "console" | "cli";
  profile_id: string | null;
  state: "active" | "ended";
  created_at: string;
  last_access_at: string;
  expires_at: string | null;
  idle_expires_at: string | null;
  ended_at: string | null;
  end_reason: SessionEndReason | null;
  ended_by: string | null;
  client_address: string | null;
  user_agent: string | null;
  current: boolean;
}

/** `GET /v1/session`. */
export interface CurrentSessionBody {
  session: SessionBody;
  limits: SessionLimitsBody;
  /** What the session may do in its account: the membership's role (a federated user's session: viewer). */
  role: "viewer" | "editor" | "administrator" | "owner";
  /** The identity's name; null for a federated user. */
  identity_name: string | null;
}

/** `GET /v1/identities/{iam_id}/sessions`, `GET /v1/accounts/{account_id}/sessions`. */
export interface SessionListBody {
  /** One page, newest first. */
  sessions: SessionBody[];
  /** The next (older) page's cursor; null on the last page. */
  next_cursor: string | null;
}
