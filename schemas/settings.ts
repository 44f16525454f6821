// The settings model: the one place each login-session setting's name, range, default and description is defined.
// The API's validation, the provider's schema and plan-time validation, the OpenAPI document and the docs derive
// from here.

/** The exact, upper-case word that means "use the service default". */
export const NOT_SET = "NOT_SET";

export interface SettingDefinition {
  /** Attribute / JSON field name. */
  readonly name: string;
  /** Short human name, as the console shows it. */
  readonly title: string;
  readonly description: string;
  readonly unit: "seconds" | "sessions";
  readonly min: number;
  readonly max: number;
  /** What the service uses when the setting is NOT_SET: a number, or "unlimited". */
  readonly serviceDefault: number | "unlimited";
}

export const SESSION_EXPIRATION: SettingDefinition = {
  name: "session_expiration_in_seconds",
  title: "Maximum session time",
  description:
    "The longest an active login session may last, however busy the user is (maximum session time), in seconds.",
  unit: "seconds",
  min: 900,
  max: 86400,
  serviceDefault: 86400,
};

export const SESSION_INVALIDATION: SettingDefinition = {
  name: "session_invalidation_in_seconds",
  title: "Maximum idle time",
  description:
    "Sign-out due to inactivity: the longest a login session may go without a request (maximum idle time), in seconds.",
  unit: "seconds",
  min: 900,
  max: 7200,
  serviceDefault: 7200,
};

export const MAX_SESSIONS_PER_IDENTITY: SettingDefinition = {
  name: "max_sessions_per_identity",
  title: "Concurrent sessions per identity",
  description: "How many login sessions one identity may hold at once.",
  unit: "sessions",
  min: 1,
  max: 2147483647,
  serviceDefault: "unlimited",
};

/**
 * A trusted profile's session duration (issue #6): set on the profile, not on an account or enterprise, so it is not
 * one of SETTINGS. NOT_SET means the service default, 3600 seconds.
 */
export const TRUSTED_PROFILE_SESSION_DURATION: SettingDefinition = {
  name: "session_duration_in_seconds",
  title: "Trusted profile session duration",
  description:
    "The longest a login session of a federated identity that assumed this trusted profile may last, in seconds.",
  unit: "seconds",
  min: 900,
  max: 43200,
  serviceDefault: 3600,
};

/** What a login does when it would take an identity over `max_sessions_per_identity` (issue #13). */
export const SESSION_LIMIT_ACTIONS = ["END_OLDEST", "END_LEAST_RECENTLY_USED", "END_NEXT_EXPIRING", "DENY_NEW"] as const;
export type SessionLimitAction = (typeof SESSION_LIMIT_ACTIONS)[number];

/** A setting whose value is one word of a fixed list (or NOT_SET), not a number. */
export interface ChoiceSettingDefinition {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly choices: readonly string[];
  /** What each choice does, for docs and the console. */
  readonly choiceDescriptions: Readonly<Record<string, string>>;
  /** What the service uses when the setting is NOT_SET. */
  readonly serviceDefault: string;
  /**
   * The numeric setting that decides which level's value applies: the choice is taken from the level (account,
   * enterprise or default) whose value of that setting is effective.
   */
  readonly decidedBy: string;
}

export const MAX_SESSIONS_EXCEEDED_ACTION: ChoiceSettingDefinition = {
  name: "max_sessions_exceeded_action",
  title: "When the concurrent-session limit is reached",
  description:
    "What a login does when it would take an identity over max_sessions_per_identity. It applies from the level " +
    "(account, enterprise or service default) whose max_sessions_per_identity is effective.",
  choices: SESSION_LIMIT_ACTIONS,
  choiceDescriptions: {
    END_OLDEST: "the new session is created and the identity's session created first is ended",
    END_LEAST_RECENTLY_USED: "the new session is created and the session used least recently is ended",
    END_NEXT_EXPIRING: "the new session is created and the session that would expire first (idle or lifetime) is ended",
    DENY_NEW: "the login is refused (session_limit_reached) and every existing session stays",
  },
  serviceDefault: "END_OLDEST",
  decidedBy: "max_sessions_per_identity",
};

/** The choice settings, after the numeric ones in documented order. */
export const CHOICE_SETTINGS = [MAX_SESSIONS_EXCEEDED_ACTION] as const;

/** `one of "END_OLDEST", …, or "NOT_SET"`, used in every error message about a choice setting. */
export function describeValidChoices(def: ChoiceSettingDefinition): string {
  return `one of ${def.choices.map((c) => JSON.stringify(c)).join(", ")}, or "${NOT_SET}"`;
}

/** Checks one choice value exactly as written (never normalised, like the numbers). */
export function checkChoiceValue(def: ChoiceSettingDefinition, raw: unknown): SettingCheck {
  const fail = (why: string): SettingCheck => ({ ok: false, message: `${def.name}: ${why}; valid values are ${describeValidChoices(def)}` });
  if (typeof raw !== "string") return fail(raw === null ? "null is not a value" : `expected a string, got ${jsonTypeOf(raw)}`);
  if (raw === NOT_SET || def.choices.includes(raw)) return { ok: true, value: raw };
  const upper = raw.toUpperCase();
  if (upper === NOT_SET || def.choices.includes(upper)) return fail(`"${truncate(raw)}" must be written exactly "${upper}" (upper case)`);
  return fail(`${JSON.stringify(truncate(raw))} is not a valid value`);
}

/** The choice a value stands for, with NOT_SET resolved to the service default. */
export function effectiveChoice(def: ChoiceSettingDefinition, value: SettingValue): string {
  return value === NOT_SET ? def.serviceDefault : value;
}

/** The three numeric account/enterprise settings, in their documented order. */
export const SETTINGS = [SESSION_EXPIRATION, SESSION_INVALIDATION, MAX_SESSIONS_PER_IDENTITY] as const;

export type NumericSettingName =
  | "session_expiration_in_seconds"
  | "session_invalidation_in_seconds"
  | "max_sessions_per_identity";

/** Every account/enterprise setting: the numeric ones, then the choice ones. */
export type SettingName = NumericSettingName | "max_sessions_exceeded_action";

export const SETTING_NAMES = [...SETTINGS, ...CHOICE_SETTINGS].map((s) => s.name) as SettingName[];

/** The definition of a setting by name, with its kind: numbers have a range, choices a list. */
export type AnySettingDefinition = { kind: "number"; def: SettingDefinition } | { kind: "choice"; def: ChoiceSettingDefinition };

export function anySettingByName(name: string): AnySettingDefinition | undefined {
  const n = SETTINGS.find((s) => s.name === name);
  if (n) return { kind: "number", def: n };
  const c = CHOICE_SETTINGS.find((s) => s.name === name);
  return c ? { kind: "choice", def: c } : undefined;
}

/** Checks any setting's value by its definition. */
export function checkAnySettingValue(name: string, raw: unknown): SettingCheck {
  const any = anySettingByName(name);
  if (!any) return { ok: false, message: `${name}: not a setting` };
  return any.kind === "number" ? checkSettingValue(any.def, raw) : checkChoiceValue(any.def, raw);
}

/** A stored setting value: a canonical decimal string or NOT_SET. */
export type SettingValue = string;

export type SettingsValues = Record<SettingName, SettingValue>;

export function settingByName(name: string): SettingDefinition | undefined {
  return SETTINGS.find((s) => s.name === name);
}

/** `a whole number from 900 to 86400, or "NOT_SET"` — used in every error message about a setting. */
export function describeValidValues(def: SettingDefinition): string {
  return `a whole number from ${def.min} to ${def.max} written as a string without sign, leading zeros or spaces, or "${NOT_SET}"`;
}

const CANONICAL_DECIMAL = /^(0|[1-9][0-9]*)$/;

export type SettingCheck = { ok: true; value: SettingValue } | { ok: false; message: string };

/**
 * Checks one setting value as it travels (a string). Nothing is normalised: a value is accepted exactly as written
 * or rejected, since a normalised value would show as a perpetual diff in Terraform.
 */
export function checkSettingValue(def: SettingDefinition, raw: unknown): SettingCheck {
  const fail = (why: string): SettingCheck => ({
    ok: false,
    message: `${def.name}: ${why}; valid values are ${describeValidValues(def)}`,
  });
  if (typeof raw !== "string") {
    return fail(raw === null ? "null is not a value" : `expected a string, got ${jsonTypeOf(raw)}`);
  }
  if (raw === NOT_SET) return { ok: true, value: raw };
  if (raw.toUpperCase() === NOT_SET) return fail(`"${raw}" must be written exactly "${NOT_SET}" (upper case)`);
  // Length guard first: the largest valid value has 10 digits.
  if (raw.length > 10 || !CANONICAL_DECIMAL.test(raw)) return fail(`${JSON.stringify(truncate(raw))} is not a canonical whole number`);
  const n = Number(raw);
  if (n < def.min || n > def.max) return fail(`${raw} is out of range`);
  return { ok: true, value: raw };
}

/** The number a value stands for, with NOT_SET resolved to the service default (Infinity for "unlimited"). */
export function effectiveNumber(def: SettingDefinition, value: SettingValue): number {
  if (value === NOT_SET) return def.serviceDefault === "unlimited" ? Infinity : def.serviceDefault;
  return Number(value);
}

/** A new account's settings: every one NOT_SET. */
export function unsetSettings(): SettingsValues {
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, NOT_SET])) as SettingsValues;
}

function jsonTypeOf(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (typeof v === "number") return "a number";
  if (typeof v === "boolean") return "a boolean";
  if (typeof v === "object") return "an object";
  return typeof v;
}

function truncate(s: string): string {
  return s.length > 32 ? `${s.slice(0, 32)}…` : s;
}
