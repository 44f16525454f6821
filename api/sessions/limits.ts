// The limits of one identity's sessions, computed from the current settings with the effective-settings rules of
// api/effective.ts (enterprise stricter, lowest over the identity's accounts), then a trusted profile's cap on the
// lifetime. The concurrent-limit action comes from the level whose max_sessions_per_identity is effective.
import {
  MAX_SESSIONS_EXCEEDED_ACTION,
  NOT_SET,
  TRUSTED_PROFILE_SESSION_DURATION,
  effectiveChoice,
  effectiveNumber,
  type SessionLimitAction,
} from "../../schemas/settings.ts";
import { effectiveForIdentity, type AccountLevels } from "../effective.ts";
import type { LimitValue, SessionLimits } from "./model.ts";

/** The stored action of one level; NOT_SET where the level does not store one. */
function actionOf(values: object | undefined): string {
  const v = (values as Record<string, unknown> | undefined)?.[MAX_SESSIONS_EXCEEDED_ACTION.name];
  return typeof v === "string" ? v : NOT_SET;
}

function number(value: string): number {
  return value === "unlimited" ? Infinity : Number(value);
}

export function computeLimits(levels: readonly AccountLevels[], profile?: { profileId: string; accountId: string; sessionDuration: string }): SessionLimits {
  const eff = effectiveForIdentity(levels);
  const max = eff.max_sessions_per_identity;

  // The action follows the level that decided the limit: that level's own action, or the service default.
  const decider = levels.find((l) => l.accountId === max.account_id);
  const stored =
    max.source === "account" ? actionOf(decider?.account) : max.source === "enterprise" ? actionOf(decider?.enterprise?.values) : NOT_SET;
  const action = effectiveChoice(MAX_SESSIONS_EXCEEDED_ACTION, stored) as SessionLimitAction;
  const actionValue: LimitValue =
    stored === NOT_SET
      ? { value: action, source: "default", source_id: null, account_id: max.account_id }
      : { value: action, source: max.source, source_id: max.source_id, account_id: max.account_id };

  let lifetime: LimitValue = { ...eff.session_expiration_in_seconds };
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
      session_invalidation_in_seconds: { ...eff.session_invalidation_in_seconds },
      max_sessions_per_identity: { ...max },
      max_sessions_exceeded_action: actionValue,
    },
  };
}
