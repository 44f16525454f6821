// Common postures for login sessions, as plain settings: spread one into a LoginSessionPolicy and override what
// differs (`{ ...PolicyPresets.balanced, maxIdle: Duration.minutes(20) }`).
import { Duration } from "./duration.ts";
import { UNLIMITED, type SessionSettings } from "./setting-values.ts";

export const PolicyPresets = {
  /**
   * Regulated environments: sign out after 15 idle minutes, sessions end within the hour. Two concurrent sessions,
   * not one, because a console login and a CLI login each hold a session.
   */
  financial: {
    maxIdle: Duration.minutes(15),
    maxLifetime: Duration.hours(1),
    maxSessionsPerIdentity: 2,
  },
  /** Most teams: half an hour idle, a working day at most, a few sessions (several browsers and a CLI). */
  balanced: {
    maxIdle: Duration.minutes(30),
    maxLifetime: Duration.hours(8),
    maxSessionsPerIdentity: 5,
  },
  /** Sandboxes and internal tooling: the longest idle time, a full day, no limit on concurrent sessions. */
  relaxed: {
    maxIdle: Duration.hours(2),
    maxLifetime: Duration.hours(24),
    maxSessionsPerIdentity: UNLIMITED,
  },
} as const satisfies Record<string, SessionSettings>;

export type PolicyPresetName = keyof typeof PolicyPresets;
