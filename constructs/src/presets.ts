// Common postures for login sessions: pick one with LoginSessionPolicy's `preset` (any language), or spread one in
// TypeScript (`{ ...PolicyPresets.balanced, maxIdle: Duration.minutes(20) }`); fields given explicitly win.
import { Duration } from "./duration.js";
import { SettingValue, type SessionSettings } from "./setting-values.js";

/** The postures PolicyPresets offers. */
export enum PolicyPreset {
  /** 15 idle minutes, 1 hour lifetime, 2 sessions per identity. */
  FINANCIAL = "financial",
  /** 30 idle minutes, 8 hours lifetime, 5 sessions per identity. */
  BALANCED = "balanced",
  /** 2 idle hours, 24 hours lifetime, unlimited sessions. */
  RELAXED = "relaxed",
}

/** The settings of each PolicyPreset. */
export class PolicyPresets {
  /**
   * Regulated environments: sign out after 15 idle minutes, sessions end within the hour. Two concurrent sessions,
   * not one, because a console login and a CLI login each hold a session.
   */
  public static get financial(): SessionSettings {
    return { maxIdle: Duration.minutes(15), maxLifetime: Duration.hours(1), maxSessionsPerIdentity: 2 };
  }

  /** Most teams: half an hour idle, a working day at most, a few sessions (several browsers and a CLI). */
  public static get balanced(): SessionSettings {
    return { maxIdle: Duration.minutes(30), maxLifetime: Duration.hours(8), maxSessionsPerIdentity: 5 };
  }

  /** Sandboxes and internal tooling: the longest idle time, a full day, no limit on concurrent sessions. */
  public static get relaxed(): SessionSettings {
    return { maxIdle: Duration.hours(2), maxLifetime: Duration.hours(24), maxSessionsPerIdentity: SettingValue.UNLIMITED };
  }

  /** The settings of one preset. */
  public static of(preset: PolicyPreset): SessionSettings {
    switch (preset) {
      case PolicyPreset.FINANCIAL:
        return PolicyPresets.financial;
      case PolicyPreset.BALANCED:
        return PolicyPresets.balanced;
      case PolicyPreset.RELAXED:
        return PolicyPresets.relaxed;
      default:
        throw new Error(`PolicyPresets.of: unknown preset ${JSON.stringify(preset)}; use one of ${Object.values(PolicyPreset).join(", ")}`);
    }
  }

  private constructor() {}
}
