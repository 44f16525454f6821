// The concurrent-limit rule, a pure function of an identity's active sessions. The store runs it inside the
// identity's exclusive transaction (store.ts `admit`), so it is data in, data out: it can run on the writer thread.
import { expiredReason, nextExpiry } from "./expiry.ts";
import type { EndOrder, NewSession, SessionLimits, SessionRecord } from "./model.ts";
import type { AdmitDecision } from "./store.ts";

/**
 * The concurrent-limit decision, as a pure function of the identity's active sessions: first the sessions that have
 * already ended by themselves (they never count: a stale session must not block a login), then, if the new session
 * would take the identity over the limit, DENY_NEW refuses it and every other action ends as many sessions as needed,
 * chosen by the action, each naming the new session as the cause.
 */
export function decideAdmission(fresh: NewSession, limits: SessionLimits, now: number, active: readonly SessionRecord[]): AdmitDecision {
  const end: EndOrder[] = [];
  const live: SessionRecord[] = [];
  for (const s of active) {
    const reason = expiredReason(s, limits, now);
    if (reason) end.push({ sessionId: s.sessionId, reason, endedBy: null });
    else live.push(s);
  }
  const excess = live.length + 1 - limits.maxSessions;
  if (excess <= 0) return { admit: true, end };
  if (limits.action === "DENY_NEW") return { admit: false, end };
  const key: (s: SessionRecord) => number =
    limits.action === "END_LEAST_RECENTLY_USED"
      ? (s) => s.lastAccessAt
      : limits.action === "END_NEXT_EXPIRING"
        ? (s) => nextExpiry(s, limits)
        : (s) => s.createdAt;
  // Ties: the older session first, then the smaller id, so the choice is deterministic.
  const victims = [...live].sort((a, b) => key(a) - key(b) || a.createdAt - b.createdAt || (a.sessionId < b.sessionId ? -1 : 1)).slice(0, excess);
  for (const v of victims) end.push({ sessionId: v.sessionId, reason: "evicted_by_limit", endedBy: fresh.sessionId });
  return { admit: true, end };
}
