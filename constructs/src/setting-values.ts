// The construct-level vocabulary for login-session settings (Duration, "unlimited", NOT_SET) and its translation to
// the canonical strings the provider expects. Names, ranges and service defaults come from the generated model
// (src/generated/model.ts, from schemas/settings.ts); nothing here repeats them.
import { Duration, humanSeconds } from "./duration.js";
import {
  MAX_SESSIONS_EXCEEDED_ACTION_FACTS,
  MAX_SESSIONS_PER_IDENTITY,
  MaxSessionsExceededAction,
  NOT_SET_WORD,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  type SettingFacts,
} from "./generated/model.js";

/** The special values a setting may take besides a number or a Duration. */
export class SettingValue {
  /** The explicit choice of the service default (`"NOT_SET"`), for any setting. */
  public static readonly NOT_SET: string = NOT_SET_WORD;
  /**
   * No limit (`"unlimited"`), only for settings whose service default is unlimited (max_sessions_per_identity).
   * Written as NOT_SET, the only way the API says it.
   */
  public static readonly UNLIMITED: string = "unlimited";

  private constructor() {}
}

/**
 * Login-session settings in human units. An omitted field leaves the server's value as it is; SettingValue.NOT_SET
 * is the explicit choice of the service default.
 */
export interface SessionSettings {
  /** Maximum session time (`session_expiration_in_seconds`): a Duration, or SettingValue.NOT_SET. */
  readonly maxLifetime?: Duration | string;
  /** Maximum idle time before sign-out (`session_invalidation_in_seconds`): a Duration, or SettingValue.NOT_SET. */
  readonly maxIdle?: Duration | string;
  /**
   * Concurrent sessions per identity (`max_sessions_per_identity`): a number, SettingValue.UNLIMITED or
   * SettingValue.NOT_SET.
   */
  readonly maxSessionsPerIdentity?: number | string;
  /**
   * What a login does when it would take an identity over max_sessions_per_identity
   * (`max_sessions_exceeded_action`); it applies from the level whose limit is effective.
   */
  readonly maxSessionsExceededAction?: MaxSessionsExceededAction;
}

export type SessionSettingField = "maxLifetime" | "maxIdle" | "maxSessionsPerIdentity";

/** Which setting each field writes. */
export const FIELD_SETTINGS: Record<SessionSettingField, SettingFacts> = {
  maxLifetime: SESSION_EXPIRATION,
  maxIdle: SESSION_INVALIDATION,
  maxSessionsPerIdentity: MAX_SESSIONS_PER_IDENTITY,
};

export const SESSION_SETTING_FIELDS = Object.keys(FIELD_SETTINGS) as SessionSettingField[];

export type Conversion = { ok: true; value: string } | { ok: false; message: string };

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

/** Whether a value as it travels (a string) is one the provider accepts: canonical, in range, or NOT_SET. */
export function isValidStoredValue(def: SettingFacts, raw: string): boolean {
  if (raw === NOT_SET_WORD) return true;
  if (raw.length > 10 || !CANONICAL_DECIMAL.test(raw)) return false;
  const n = Number(raw);
  return n >= def.min && n <= def.max;
}

/** The number a value stands for, with NOT_SET resolved to the service default (Infinity for "unlimited"). */
export function effectiveNumber(def: SettingFacts, value: string): number {
  if (value === NOT_SET_WORD) return def.serviceDefault === "unlimited" ? Infinity : def.serviceDefault;
  return Number(value);
}

/** A number of the setting's unit, as people read it: `2 hours (7200 s)`, `3 sessions`. */
export function humanAmount(def: SettingFacts, n: number): string {
  if (!Number.isFinite(n)) return "unlimited";
  return def.unit === "seconds" ? `${humanSeconds(n)} (${n} s)` : `${n} session${n === 1 ? "" : "s"}`;
}

function serviceDefaultText(def: SettingFacts): string {
  return def.serviceDefault === "unlimited" ? "unlimited" : humanAmount(def, def.serviceDefault);
}

/** The valid values of a field, in its own vocabulary: `15 minutes (900 s) to 2 hours (7200 s), or NOT_SET (…)`. */
export function describeFieldRange(def: SettingFacts): string {
  const range = `${humanAmount(def, def.min)} to ${humanAmount(def, def.max)}`;
  const unlimited = def.serviceDefault === "unlimited" ? `, "${SettingValue.UNLIMITED}"` : "";
  return `${range}${unlimited}, or NOT_SET (the service default: ${serviceDefaultText(def)})`;
}

/** A stored value as people read it: `"7200" (2 hours)`, `"NOT_SET" (service default: unlimited)`. */
export function describeStoredValue(def: SettingFacts, value: string): string {
  if (value === NOT_SET_WORD) return `"${NOT_SET_WORD}" (service default: ${serviceDefaultText(def)})`;
  const n = Number(value);
  return `"${value}" (${def.unit === "seconds" ? humanSeconds(n) : humanAmount(def, n)})`;
}

/** The valid choices of max_sessions_exceeded_action, as messages list them. */
export function describeChoices(): string {
  return `${MAX_SESSIONS_EXCEEDED_ACTION_FACTS.choices.map((c) => `MaxSessionsExceededAction.${c}`).join(", ")} or MaxSessionsExceededAction.NOT_SET (the service default: ${MAX_SESSIONS_EXCEEDED_ACTION_FACTS.serviceDefault})`;
}

/** The maxSessionsExceededAction field as the provider takes it, or why it cannot be. */
export function toActionValue(raw: unknown): Conversion {
  if (raw === NOT_SET_WORD || (typeof raw === "string" && MAX_SESSIONS_EXCEEDED_ACTION_FACTS.choices.includes(raw))) {
    return { ok: true, value: raw as string };
  }
  // Like the API, a value is taken exactly as written: a lower-case word is named as such, not silently fixed.
  const upper = typeof raw === "string" ? raw.toUpperCase() : undefined;
  const caseOnly = upper !== undefined && (upper === NOT_SET_WORD || MAX_SESSIONS_EXCEEDED_ACTION_FACTS.choices.includes(upper));
  return {
    ok: false,
    message: `maxSessionsExceededAction (${MAX_SESSIONS_EXCEEDED_ACTION_FACTS.name}): ${describeRaw(raw)} is not a choice${caseOnly ? " (choices are upper case)" : ""}; valid values are ${describeChoices()}`,
  };
}

/** Turns one field's value into the canonical string the provider takes, or says why it cannot. */
export function toSettingValue(field: string, def: SettingFacts, raw: unknown): Conversion {
  const fail = (why: string): Conversion => ({
    ok: false,
    message: `${field} (${def.name}): ${why}; valid values are ${describeFieldRange(def)}`,
  });
  if (raw === NOT_SET_WORD) return { ok: true, value: NOT_SET_WORD };
  if (raw === SettingValue.UNLIMITED) {
    // NOT_SET is how the API says "no limit" for a setting whose default is unlimited; elsewhere it would mean
    // the default limit, which is not what "unlimited" asks for.
    if (def.serviceDefault === "unlimited") return { ok: true, value: NOT_SET_WORD };
    return fail(`"${SettingValue.UNLIMITED}" is not available, this setting always has a limit`);
  }
  let n: number;
  if (def.unit === "seconds") {
    if (!(raw instanceof Duration)) {
      return fail(`expected a Duration (Duration.minutes(30), Duration.hours(12), …) or NOT_SET, got ${describeRaw(raw)}`);
    }
    n = raw.toSeconds();
    if (!Number.isInteger(n)) return fail(`${raw.toHuman()} is not a whole number of seconds`);
  } else {
    if (typeof raw !== "number") return fail(`expected a number, "${SettingValue.UNLIMITED}" or NOT_SET, got ${describeRaw(raw)}`);
    n = raw;
    if (!Number.isInteger(n)) return fail(`${n} is not a whole number`);
  }
  if (n < def.min || n > def.max) return fail(`${humanAmount(def, n)} is out of range`);
  return { ok: true, value: String(n) };
}

function describeRaw(raw: unknown): string {
  if (typeof raw === "string") return JSON.stringify(raw);
  if (raw === null || raw === undefined) return String(raw);
  if (typeof raw === "object") return `an object (${(raw as object).constructor?.name ?? "Object"})`;
  return `${typeof raw} ${String(raw)}`;
}
