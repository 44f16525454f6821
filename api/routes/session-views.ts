// How sessions and their limits are shown in answers.
import { SessionEngine } from "../sessions/engine.ts";
import { writeIntervalMs } from "../sessions/expiry.ts";
import type { SessionLimits, SessionRecord } from "../sessions/model.ts";
import type { SessionBody, SessionLimitsBody } from "../../schemas/session-wire.ts";

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function limitsBody(l: SessionLimits): SessionLimitsBody {
  const p = l.provenance;
  return {
    ...p,
    max_sessions_exceeded_action: { ...p.max_sessions_exceeded_action, value: l.action },
    last_access_write_interval_seconds: writeIntervalMs(l.idleSeconds) / 1000,
  };
}

/** One session; `limits` (the identity's current ones) give an active session's expiry times. */
export function sessionView(s: SessionRecord, limits: SessionLimits | undefined, currentId: string | undefined, times?: { expiresAt: number; idleExpiresAt: number }): SessionBody {
  const active = s.endedAt === null;
  const t = active && limits ? (times ?? SessionEngine.times(s, limits)) : undefined;
  return {
    session_id: s.sessionId,
    iam_id: s.iamId,
    account_id: s.accountId,
    channel: s.channel,
    profile_id: s.profileId,
    state: active ? ("active" as const) : ("ended" as const),
    created_at: iso(s.createdAt),
    last_access_at: iso(s.lastAccessAt),
    expires_at: t ? iso(t.expiresAt) : null,
    idle_expires_at: t ? iso(t.idleExpiresAt) : null,
    ended_at: s.endedAt === null ? null : iso(s.endedAt),
    end_reason: s.endReason,
    ended_by: s.endedBy,
    client_address: s.clientAddress,
    user_agent: s.userAgent,
    current: s.sessionId === currentId,
  };
}
