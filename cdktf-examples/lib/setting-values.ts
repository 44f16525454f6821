// The construct-level vocabulary for the three login-session settings (Duration, "unlimited", NOT_SET) and its
// translation to the canonical strings the provider expects. Names, ranges and service defaults come from the
// settings model in schemas/settings.ts; nothing here repeats them.
import {
  MAX_SESSIONS_PER_IDENTITY,
  NOT_SET,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  checkSettingValue,
  type SettingDefinition,
} from "../../schemas/settings.ts";
import { Duration, humanSeconds } from "./duration.ts";

export { NOT_SET };
/** For settings whose service default is unlimited: no limit. Written as NOT_SET, the only way to say it. */
export const UNLIMITED = "unlimited";

export type NotSet = typeof NOT_SET;
export type Unlimited = typeof UNLIMITED;

/**
 * Login-session settings in human units. An omitted field leaves the server's value as it is; NOT_SET is the
 * explicit choice of the service default.
 */
export interface SessionSettings {
  /** Maximum session time (`session_expiration_in_seconds`). */
  readonly maxLifetime?: Duration | NotSet;
  /** Maximum idle time before sign-out (`session_invalidation_in_seconds`). */
  readonly maxIdle?: Duration | NotSet;
  /** Concurrent sessions per identity (`max_sessions_per_identity`). */
  readonly maxSessionsPerIdentity?: number | Unlimited | NotSet;
}

export type SessionSettingField = keyof SessionSettings;

/** Which setting each field writes. */
export const FIELD_SETTINGS: Readonly<Record<SessionSettingField, SettingDefinition>> = {
  maxLifetime: SESSION_EXPIRATION,
  maxIdle: SESSION_INVALIDATION,
  maxSessionsPerIdentity: MAX_SESSIONS_PER_IDENTITY,
};

export const SESSION_SETTING_FIELDS = Object.keys(FIELD_SETTINGS) as SessionSettingField[];

export type Conversion = { ok: true; value: string } | { ok: false; message: string };

/** A number of the setting's unit, as people read it: `2 hours (7200 s)`, `3 sessions`. */
export function humanAmount(def: SettingDefinition, n: number): string {
  if (!Number.isFinite(n)) return "unlimited";
  return def.unit === "seconds" ? `${humanSeconds(n)} (${n} s)` : `${n} session${n === 1 ? "" : "s"}`;
}

function serviceDefaultText(def: SettingDefinition): string {
  return def.serviceDefault === "unlimited" ? "unlimited" : humanAmount(def, def.serviceDefault);
}

/** The valid values of a field, in its own vocabulary: `15 minutes (900 s) to 2 hours (7200 s), or NOT_SET (…)`. */
export function describeFieldRange(def: SettingDefinition): string {
  const range = `${humanAmount(def, def.min)} to ${humanAmount(def, def.max)}`;
  const unlimited = def.serviceDefault === "unlimited" ? `, "${UNLIMITED}"` : "";
  return `${range}${unlimited}, or NOT_SET (the service default: ${serviceDefaultText(def)})`;
}

/** A stored value as people read it: `"7200" (2 hours)`, `"NOT_SET" (service default: unlimited)`. */
export function describeStoredValue(def: SettingDefinition, value: string): string {
  if (value === NOT_SET) return `"${NOT_SET}" (service default: ${serviceDefaultText(def)})`;
  const n = Number(value);
  return `"${value}" (${def.unit === "seconds" ? humanSeconds(n) : humanAmount(def, n)})`;
}

/** Turns one field's value into the canonical string the provider takes, or says why it cannot. */
export function toSettingValue(field: SessionSettingField, raw: unknown): Conversion {
  const def = FIELD_SETTINGS[field];
  const fail = (why: string): Conversion => ({
    ok: false,
    message: `${field} (${def.name}): ${why}; valid values are ${describeFieldRange(def)}`,
  });
  if (raw === NOT_SET) return { ok: true, value: NOT_SET };
  if (raw === UNLIMITED) {
    // NOT_SET is how the API says "no limit" for a setting whose default is unlimited; elsewhere it would mean
    // the default limit, which is not what "unlimited" asks for.
    if (def.serviceDefault === "unlimited") return { ok: true, value: NOT_SET };
    return fail(`"${UNLIMITED}" is not available, this setting always has a limit`);
  }
  let n: number;
  if (def.unit === "seconds") {
    if (!Duration.isDuration(raw)) return fail(`expected a Duration (Duration.minutes(30), Duration.hours(12), …) or NOT_SET, got ${describeRaw(raw)}`);
    n = raw.toSeconds();
    if (!Number.isInteger(n)) return fail(`${raw.toHuman()} is not a whole number of seconds`);
  } else {
    if (typeof raw !== "number") return fail(`expected a number, "${UNLIMITED}" or NOT_SET, got ${describeRaw(raw)}`);
    n = raw;
    if (!Number.isInteger(n)) return fail(`${n} is not a whole number`);
  }
  if (n < def.min || n > def.max) return fail(`${humanAmount(def, n)} is out of range`);
  const value = String(n);
  // The model's own check is the last word on what the provider accepts.
  const check = checkSettingValue(def, value);
  return check.ok ? { ok: true, value } : fail(check.message);
}

function describeRaw(raw: unknown): string {
  if (typeof raw === "string") return JSON.stringify(raw);
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === "object") return `an object (${raw.constructor?.name ?? "Object"})`;
  return `${typeof raw} ${String(raw)}`;
}
