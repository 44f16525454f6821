// The session engine: logins create sessions within the concurrent limit, every use validates its session against
// the limits computed from the current settings, and every end is recorded with its reason. HTTP, SQLite and the
// system clock are all outside: the engine is given a SessionStore, a PolicySource and a Clock.
import { SESSION_EXPIRATION, SESSION_INVALIDATION } from "../../schemas/settings.ts";
import type { Clock } from "./clock.ts";
import { expiredReason, idleRejectAt, lifetimeEnd, writeIntervalMs } from "./expiry.ts";
import { computeLimits } from "./limits.ts";
import type { Channel, EndOrder, EndReason, NewSession, SessionLimits, SessionRecord } from "./model.ts";
import type { PolicySource, SessionFilter, SessionPage, SessionStore } from "./store.ts";
import { generateSessionId, generateToken, hashToken, SESSION_TOKEN_PREFIX } from "./tokens.ts";

/** Ended sessions stay listed (with their reason) and answer their reason on reuse for this long, then are deleted. */
export const ENDED_RETENTION_MS = 7 * 24 * 3600 * 1000;
/** How often (by the injected clock) a login or validation runs the reaper. */
export const REAP_INTERVAL_MS = 60 * 1000;

export interface LoginRequest {
  iamId: string;
  accountId: string;
  channel: Channel;
  profileId?: string | null;
  credentialKeyId?: string | null;
  clientAddress: string | null;
  userAgent: string | null;
}

export type LoginResult =
  | { ok: true; session: SessionRecord; token: string; limits: SessionLimits; ended: EndOrder[] }
  | { ok: false; code: "session_limit_reached"; limits: SessionLimits };

export type ValidateResult =
  | { ok: true; session: SessionRecord; limits: SessionLimits; expiresAt: number; idleExpiresAt: number }
  /** `session` is absent for a token the store does not know (never issued, or ended and deleted since). */
  | { ok: false; reason: EndReason | null; session?: SessionRecord };

export class SessionEngine {
  readonly #store: SessionStore;
  readonly #policy: PolicySource;
  readonly #clock: Clock;
  #lastReap = -Infinity;

  constructor(opts: { store: SessionStore; policy: PolicySource; clock: Clock }) {
    this.#store = opts.store;
    this.#policy = opts.policy;
    this.#clock = opts.clock;
  }

  now(): number {
    return this.#clock.now();
  }

  /**
   * The limits of an identity's sessions now: for a user, over every account it belongs to; for a federated user
   * (a trusted profile), the profile's account, with the lifetime capped by the profile's duration.
   */
  async limitsFor(iamId: string, profileId: string | null): Promise<SessionLimits> {
    if (profileId !== null) {
      const profile = await this.#policy.profile(profileId);
      const levels = profile ? await this.#policy.levelsForAccount(profile.accountId) : undefined;
      // A deleted profile leaves the service defaults capped by its default duration until the session is checked.
      return computeLimits(levels ? [levels] : [], { profileId, accountId: profile?.accountId ?? "", sessionDuration: profile?.sessionDuration ?? "NOT_SET" });
    }
    return computeLimits(await this.#policy.levelsForIdentity(iamId));
  }

  async login(req: LoginRequest): Promise<LoginResult> {
    const now = this.#clock.now();
    await this.#maybeReap(now);
    const limits = await this.limitsFor(req.iamId, req.profileId ?? null);
    const token = generateToken(SESSION_TOKEN_PREFIX);
    const fresh: NewSession = {
      sessionId: generateSessionId(),
      tokenHash: hashToken(token),
      iamId: req.iamId,
      accountId: req.accountId,
      channel: req.channel,
      profileId: req.profileId ?? null,
      credentialKeyId: req.credentialKeyId ?? null,
      createdAt: now,
      lastAccessAt: now,
      clientAddress: req.clientAddress,
      userAgent: req.userAgent,
    };
    // Without a limit there is nothing to count: the insert need not read the identity's (possibly many) sessions;
    // stale ones are ended by their next use or the reaper.
    const decision = await this.#store.admit(fresh, limits.maxSessions === Infinity ? null : limits);
    if (!decision.admit) return { ok: false, code: "session_limit_reached", limits };
    const { tokenHash: _hash, ...session } = fresh;
    return { ok: true, token, limits, ended: decision.end, session: { ...session, endedAt: null, endReason: null, endedBy: null } };
  }

  /**
   * Validates a session token and records the access (throttled). A session past a limit computed from the current
   * settings, or whose identity left its account, is ended here, with its reason.
   */
  async validate(token: string): Promise<ValidateResult> {
    const now = this.#clock.now();
    await this.#maybeReap(now);
    const session = await this.#store.findByTokenHash(hashToken(token));
    if (!session) return { ok: false, reason: null };
    if (session.endedAt !== null) return { ok: false, reason: session.endReason, session };
    const limits = await this.limitsFor(session.iamId, session.profileId);
    let reason: EndReason | undefined = expiredReason(session, limits, now);
    if (!reason && session.profileId === null && !(await this.#policy.isMember(session.accountId, session.iamId))) {
      reason = "membership_removed";
    }
    if (reason) {
      await this.#store.endEach([{ sessionId: session.sessionId, reason, endedBy: null }], now);
      return { ok: false, reason, session: { ...session, endedAt: now, endReason: reason } };
    }
    // A lowered max_sessions_per_identity applies to live sessions too: an identity over it is brought down to it
    // (the count is one indexed read; the trim, rare, is a write).
    if (limits.maxSessions !== Infinity && (await this.#store.countActive(session.iamId)) > limits.maxSessions) {
      const ended = (await this.#store.trim(session.iamId, limits, now)).find((o) => o.sessionId === session.sessionId);
      if (ended) return { ok: false, reason: ended.reason, session: { ...session, endedAt: now, endReason: ended.reason } };
    }
    let current = session;
    if (now - session.lastAccessAt >= writeIntervalMs(limits.idleSeconds)) {
      await this.#store.touch(session.sessionId, now);
      current = { ...session, lastAccessAt: now };
    }
    return {
      ok: true,
      session: current,
      limits,
      expiresAt: lifetimeEnd(current, limits),
      // Guaranteed until now + idle (this request is an access); see expiry.ts for the bound after it.
      idleExpiresAt: Math.min(now + limits.idleSeconds * 1000, lifetimeEnd(current, limits)),
    };
  }

  end(filter: SessionFilter, reason: EndReason, endedBy: string | null): Promise<string[]> {
    return this.#store.end(filter, reason, endedBy, this.#clock.now());
  }

  /** One page of the listed sessions (active, and ended within ENDED_RETENTION_MS), newest first. */
  list(filter: SessionFilter, page: SessionPage): Promise<SessionRecord[]> {
    return this.#store.list(filter, this.#clock.now() - ENDED_RETENTION_MS, page);
  }

  /** Whether a listed session matches the filter (a session another caller may not see is absent). */
  async exists(filter: SessionFilter & { sessionId: string }): Promise<boolean> {
    return (await this.list(filter, { after: null, limit: 1 })).length > 0;
  }

  /** When an active session would end by itself under the given limits (for listings). */
  static times(s: SessionRecord, limits: SessionLimits): { expiresAt: number; idleExpiresAt: number } {
    return { expiresAt: lifetimeEnd(s, limits), idleExpiresAt: Math.min(idleRejectAt(s, limits), lifetimeEnd(s, limits)) };
  }

  async #maybeReap(now: number): Promise<void> {
    if (now - this.#lastReap < REAP_INTERVAL_MS) return;
    this.#lastReap = now;
    const idleMax = SESSION_INVALIDATION.max * 1000;
    await this.#store.reap(now, SESSION_EXPIRATION.max * 1000, idleMax + writeIntervalMs(SESSION_INVALIDATION.max), now - ENDED_RETENTION_MS);
  }
}
