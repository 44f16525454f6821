// The concurrent-limit rule, a pure function of an identity's active sessions. The store runs it inside the
// identity's exclusive transaction (store.ts `admit`), so it is data in, data out: it can run on the writer thread.
import { expiredReason, nextExpiry } from "./expiry.ts";
import type { EndOrder, NewSession, SessionLimits, SessionRecord } from "./model.ts";
import type { AdmitDecision } from "./store.ts";

/** Splits an identity's active sessions into those that already ended by themselves (with the reason) and the live. */
function sortOut(limits: SessionLimits, now: number, active: readonly SessionRecord[]): { end: EndOrder[]; live: SessionRecord[] } {
  const end: EndOrder[] = [];
  const live: SessionRecord[] = [];
  for (const s of active) {
    const reason = expiredReason(s, limits, now);
    if (reason) end.push({ sessionId: s.sessionId, reason, endedBy: null });
    else live.push(s);
  }
  return { end, live };
}

/** The first `count` sessions the action ends (ties: the older session first, then the smaller id: deterministic). */
function victims(limits: SessionLimits, live: readonly SessionRecord[], count: number): SessionRecord[] {
  const key: (s: SessionRecord) => number =
    limits.action === "END_LEAST_RECENTLY_USED"
      ? (s) => s.lastAccessAt
      : limits.action === "END_NEXT_EXPIRING"
        ? (s) => nextExpiry(s, limits)
        : (s) => s.createdAt;
  return [...live].sort((a, b) => key(a) - key(b) || a.createdAt - b.createdAt || (a.sessionId < b.sessionId ? -1 : 1)).slice(0, count);
}

/**
 * The concurrent-limit decision, as a pure function of the identity's active sessions: first the sessions that have
 * already ended by themselves (they never count: a stale session must not block a login), then, if the new session
 * would take the identity over the limit, DENY_NEW refuses it and every other action ends as many sessions as needed,
 * chosen by the action, each naming the new session as the cause.
 */
export function decideAdmission(fresh: NewSession, limits: SessionLimits, now: number, active: readonly SessionRecord[]): AdmitDecision {
  const { end, live } = sortOut(limits, now, active);
  const excess = live.length + 1 - limits.maxSessions;
  if (excess <= 0) return { admit: true, end };
  if (limits.action === "DENY_NEW") return { admit: false, end };
  for (const v of victims(limits, live, excess)) end.push({ sessionId: v.sessionId, reason: "evicted_by_limit", endedBy: fresh.sessionId });
  return { admit: true, end };
}

/**
 * After the limit was lowered: an identity holding more live sessions than `maxSessions` is brought down to it, by
 * the same action as a login (`ended_by` null: no login caused it, the setting did). DENY_NEW keeps the sessions a
 * login would have kept — the oldest — and ends the newest.
 */
export function decideTrim(limits: SessionLimits, now: number, active: readonly SessionRecord[]): EndOrder[] {
  const { end, live } = sortOut(limits, now, active);
  const excess = live.length - limits.maxSessions;
  if (excess <= 0) return end;
  const chosen =
    limits.action === "DENY_NEW"
      ? [...live].sort((a, b) => b.createdAt - a.createdAt || (a.sessionId < b.sessionId ? 1 : -1)).slice(0, excess)
      : victims(limits, live, excess);
  for (const v of chosen) end.push({ sessionId: v.sessionId, reason: "evicted_by_limit", endedBy: null });
  return end;
}
