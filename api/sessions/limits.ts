// The limits of one identity's sessions, computed from the current settings with the effective-settings rules of
// api/effective.ts (enterprise stricter, lowest over the identity's accounts), then a trusted profile's cap on the
// lifetime. The concurrent-limit action comes from the level whose max_sessions_per_identity is effective.
import { TRUSTED_PROFILE_SESSION_DURATION, effectiveNumber, type SessionLimitAction } from "../../schemas/settings.ts";
import { effectiveForIdentity, type AccountLevels, type EffectiveValue } from "../effective.ts";
import type { LimitValue, SessionLimits } from "./model.ts";

function number(value: string): number {
  return value === "unlimited" ? Infinity : Number(value);
}

/** effectiveForIdentity never redacts (only effectiveForIdentityAs does): its sources are the session's own. */
const own = (v: EffectiveValue): LimitValue => ({ ...v }) as LimitValue;

export function computeLimits(levels: readonly AccountLevels[], profile?: { profileId: string; accountId: string; sessionDuration: string }): SessionLimits {
  const eff = effectiveForIdentity(levels);
  const max = eff.max_sessions_per_identity;
  const actionValue: LimitValue = own(eff.max_sessions_exceeded_action);
  const action = actionValue.value as SessionLimitAction;

  let lifetime: LimitValue = own(eff.session_expiration_in_seconds);
  if (profile) {
    const cap = effectiveNumber(TRUSTED_PROFILE_SESSION_DURATION, profile.sessionDuration);
    if (cap < number(lifetime.value)) {
      lifetime = { value: String(cap), source: "trusted_profile", source_id: profile.profileId, account_id: profile.accountId };
    }
  }
  return {
    lifetimeSeconds: number(lifetime.value),
    idleSeconds: number(eff.session_invalidation_in_seconds.value),
    maxSessions: number(max.value),
    action,
    provenance: {
      session_expiration_in_seconds: lifetime,
      session_invalidation_in_seconds: own(eff.session_invalidation_in_seconds),
      max_sessions_per_identity: own(max),
      max_sessions_exceeded_action: actionValue,
    },
  };
}
