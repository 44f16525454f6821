// The concurrent-limit decision (api/sessions/admission.ts decideAdmission), as a pure function of an identity's
// active sessions: which are ended, in what order, and when a login is refused.
import { describe, expect, it } from "vitest";
import { decideAdmission, decideTrim } from "../../api/sessions/admission.ts";
import type { NewSession, SessionLimits, SessionRecord } from "../../api/sessions/model.ts";
import type { SessionLimitAction } from "../../schemas/settings.ts";

const S = 1000;
function limits(maxSessions: number, action: SessionLimitAction, lifetimeSeconds = 86400, idleSeconds = 7200): SessionLimits {
  const v = { value: "", source: "default" as const, source_id: null, account_id: null };
  return {
    lifetimeSeconds,
    idleSeconds,
    maxSessions,
    action,
    provenance: { session_expiration_in_seconds: v, session_invalidation_in_seconds: v, max_sessions_per_identity: v, max_sessions_exceeded_action: v },
  };
}
function session(id: string, createdAt: number, lastAccessAt = createdAt): SessionRecord {
  return { sessionId: id, iamId: "u", accountId: "a", channel: "cli", profileId: null, credentialKeyId: null, createdAt: createdAt * S, lastAccessAt: lastAccessAt * S, endedAt: null, endReason: null, endedBy: null, clientAddress: null, userAgent: null };
}
const fresh = (at: number): NewSession => ({ ...session("new", at), tokenHash: Buffer.alloc(32) });

describe("decideAdmission", () => {
  it("admits under the limit and ends nothing", () => {
    expect(decideAdmission(fresh(10), limits(3, "END_OLDEST"), 10 * S, [session("a", 0), session("b", 1)])).toEqual({ admit: true, end: [] });
  });

  it("unlimited (Infinity) admits whatever the count", () => {
    const many = Array.from({ length: 50 }, (_, i) => session(`s${i}`, i));
    expect(decideAdmission(fresh(100), limits(Infinity, "DENY_NEW"), 100 * S, many)).toEqual({ admit: true, end: [] });
  });

  it("after the limit was lowered from 10 to 3, one login brings the identity down to 3 (ends 8, oldest first)", () => {
    const ten = Array.from({ length: 10 }, (_, i) => session(`s${i}`, i));
    const d = decideAdmission(fresh(100), limits(3, "END_OLDEST"), 100 * S, ten);
    expect(d.admit).toBe(true);
    expect(d.end.map((e) => e.sessionId)).toEqual(["s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"]);
    expect(new Set(d.end.map((e) => `${e.reason}/${e.endedBy}`))).toEqual(new Set(["evicted_by_limit/new"]));
  });

  it("expired sessions are ended with their own reason and do not count", () => {
    const d = decideAdmission(fresh(8000), limits(2, "DENY_NEW", 86400, 900), 8000 * S, [session("idle", 0), session("live", 7900)]);
    expect(d).toEqual({ admit: true, end: [{ sessionId: "idle", reason: "idle_timeout", endedBy: null }] });
    const life = decideAdmission(fresh(2000), limits(1, "DENY_NEW", 900, 900), 2000 * S, [session("old", 0, 890)]);
    expect(life).toEqual({ admit: true, end: [{ sessionId: "old", reason: "lifetime_expired", endedBy: null }] });
  });

  it("DENY_NEW refuses at the limit and ends only the expired", () => {
    const d = decideAdmission(fresh(100), limits(1, "DENY_NEW"), 100 * S, [session("a", 0)]);
    expect(d).toEqual({ admit: false, end: [] });
  });

  it("ties go to the older session, then the smaller id", () => {
    const d = decideAdmission(fresh(100), limits(2, "END_LEAST_RECENTLY_USED"), 100 * S, [session("b", 5, 50), session("a", 5, 50), session("c", 1, 60)]);
    expect(d.end.map((e) => e.sessionId)).toEqual(["a", "b"]);
  });
});

describe("decideTrim (a limit lowered under live sessions)", () => {
  const four = [session("a", 0, 40), session("b", 1, 10), session("c", 2, 30), session("d", 3, 20)];
  const ended = (orders: { sessionId: string }[]) => orders.map((o) => o.sessionId).sort();

  it("ends nothing at or under the limit", () => {
    expect(decideTrim(limits(4, "END_OLDEST"), 50 * S, four)).toEqual([]);
  });

  it("ends the excess by the action, naming no session as the cause", () => {
    expect(ended(decideTrim(limits(2, "END_OLDEST"), 50 * S, four))).toEqual(["a", "b"]);
    expect(ended(decideTrim(limits(2, "END_LEAST_RECENTLY_USED"), 50 * S, four))).toEqual(["b", "d"]);
    // DENY_NEW keeps what a login would have kept, the oldest.
    expect(ended(decideTrim(limits(2, "DENY_NEW"), 50 * S, four))).toEqual(["c", "d"]);
    for (const o of decideTrim(limits(1, "END_OLDEST"), 50 * S, four)) expect(o).toMatchObject({ reason: "evicted_by_limit", endedBy: null });
  });

  it("ends expired sessions with their own reason first, and they do not count", () => {
    const orders = decideTrim(limits(2, "END_OLDEST", 86400, 900), 1000 * S, [session("idle", 0), session("x", 900), session("y", 950)]);
    expect(orders).toEqual([{ sessionId: "idle", reason: "idle_timeout", endedBy: null }]);
  });
});
