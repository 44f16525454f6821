// When a session ends by itself, and how often its last access is written.
//
// Last-access writes are throttled: a validation writes only when the recorded access is at least W old, with
//   W = min(60 s, idle / 15)      (idle >= 900 s, so W is 60 s for every valid setting)
// so a busy session costs at most one write per minute. The recorded access is then always within W of the true
// last access, and a session is rejected for idleness only once `recorded + idle + W` has passed. That gives the
// documented bound, whatever the timing of requests:
//   never rejected before `true last access + idle`, always rejected by `true last access + idle + W`.
// Lifetime: a session is rejected from `created_at + lifetime`; activity never moves it.
import type { EndReason, SessionLimits, SessionRecord } from "./model.ts";

export const MAX_WRITE_INTERVAL_SECONDS = 60;

export function writeIntervalMs(idleSeconds: number): number {
  return Math.min(MAX_WRITE_INTERVAL_SECONDS, Math.floor(idleSeconds / 15)) * 1000;
}

export function lifetimeEnd(s: SessionRecord, l: SessionLimits): number {
  return s.createdAt + l.lifetimeSeconds * 1000;
}

/** The moment the session is rejected for idleness, from the recorded access (see the bound above). */
export function idleRejectAt(s: SessionRecord, l: SessionLimits): number {
  return s.lastAccessAt + l.idleSeconds * 1000 + writeIntervalMs(l.idleSeconds);
}

/** The reason a session has ended by itself at `now`, or undefined while it is live. */
export function expiredReason(s: SessionRecord, l: SessionLimits, now: number): EndReason | undefined {
  const life = lifetimeEnd(s, l);
  const idle = idleRejectAt(s, l);
  if (now < life && now < idle) return undefined;
  return life <= idle ? "lifetime_expired" : "idle_timeout";
}

/** The earliest moment the session could end by itself without further use (for END_NEXT_EXPIRING and listings). */
export function nextExpiry(s: SessionRecord, l: SessionLimits): number {
  return Math.min(lifetimeEnd(s, l), s.lastAccessAt + l.idleSeconds * 1000);
}
