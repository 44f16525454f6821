// Rules that relate setting values to each other, defined once: the provider (plan-time warnings), the CDKTF
// library (synth-time warnings and the policy guard) and the drift check (what counts as loosened) read them here,
// each in its own words.
import {
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  checkSettingValue,
  effectiveNumber,
  type SettingDefinition,
  type SettingName,
  type SettingValue,
} from "./settings.ts";

/** A value of one setting in a rule's finding: as written, and the number it stands for (NOT_SET resolved). */
export interface RuleOperand {
  readonly def: SettingDefinition;
  readonly value: SettingValue;
  readonly seconds: number;
}

/**
 * An idle timeout longer than the maximum lifetime is allowed but pointless: every session ends at its maximum
 * lifetime before it could reach the idle timeout. A warning, never an error.
 */
export const IDLE_BEYOND_LIFETIME = {
  title: "Idle timeout longer than the maximum session time",
  /** The setting a warning points at. */
  subject: SESSION_INVALIDATION,
  why: "every session ends at its maximum lifetime before it could ever reach the idle timeout, so the idle limit has no effect",
} as const;

/**
 * The idle and lifetime values when the idle timeout is longer than the lifetime, else undefined. Only values that
 * are given (not undefined) and valid are compared: a value left to the server, or an invalid one (reported by its
 * own check), says nothing.
 */
export function idleBeyondLifetime(
  values: Partial<Record<SettingName, SettingValue | undefined>>,
): { idle: RuleOperand; lifetime: RuleOperand } | undefined {
  const idle = operand(SESSION_INVALIDATION, values[SESSION_INVALIDATION.name as SettingName]);
  const lifetime = operand(SESSION_EXPIRATION, values[SESSION_EXPIRATION.name as SettingName]);
  if (!idle || !lifetime) return undefined;
  return idle.seconds > lifetime.seconds ? { idle, lifetime } : undefined;
}

/** Whether `value` is a looser limit than `reference` (a longer time, more sessions; NOT_SET is the default). */
export function isLooserThan(def: SettingDefinition, value: SettingValue, reference: SettingValue): boolean {
  return effectiveNumber(def, value) > effectiveNumber(def, reference);
}

/** Whether `value` allows more than `max` (seconds or sessions; NOT_SET is the default, "unlimited" is Infinity). */
export function exceedsLimit(def: SettingDefinition, value: SettingValue, max: number): boolean {
  return effectiveNumber(def, value) > max;
}

function operand(def: SettingDefinition, value: SettingValue | undefined): RuleOperand | undefined {
  if (value === undefined || !checkSettingValue(def, value).ok) return undefined;
  return { def, value, seconds: effectiveNumber(def, value) };
}
