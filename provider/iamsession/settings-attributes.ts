// Provider attributes and plan-time checks derived from the settings model in schemas/, so that ranges, defaults
// and descriptions are defined once.
import {
  CHOICE_SETTINGS,
  NOT_SET,
  SESSION_EXPIRATION,
  checkChoiceValue,
  describeValidChoices,
  type ChoiceSettingDefinition,
  SESSION_INVALIDATION,
  SETTINGS,
  checkSettingValue,
  effectiveNumber,
  type SettingDefinition,
  type SettingName,
} from "../../schemas/settings.ts";
import type { AttributeSchema, ObjectValue, ValidateConfigRequest, Validator } from "../framework/types.ts";
import { isUnknown } from "../protocol/cty/types.ts";

/** Turns the model's check into a framework validator (the framework adds the attribute path). */
export function settingValidator(def: SettingDefinition): Validator {
  return (value) => {
    const check = checkSettingValue(def, value);
    return check.ok ? undefined : check.message;
  };
}

export function describeSetting(def: SettingDefinition): string {
  const fallback =
    def.serviceDefault === "unlimited" ? "unlimited" : `${def.serviceDefault} ${def.unit}`;
  return (
    `${def.description} A whole number from ${def.min} to ${def.max} written as a string (for example ` +
    `\`"${def.unit === "sessions" ? 3 : 3600}"\`), or \`"${NOT_SET}"\` to use the service default ` +
    `(${fallback}).`
  );
}

export function describeChoice(def: ChoiceSettingDefinition): string {
  return (
    `${def.description} Valid values: ${describeValidChoices(def)} (the service default, ${def.serviceDefault}). ` +
    Object.entries(def.choiceDescriptions)
      .map(([k, v]) => `\`${k}\`: ${v}`)
      .join("; ") +
    "."
  );
}

function choiceValidator(def: ChoiceSettingDefinition): Validator {
  return (value) => {
    const check = checkChoiceValue(def, value);
    return check.ok ? undefined : check.message;
  };
}

/** Every setting as an optional+computed string attribute: an omitted setting is left as the server has it. */
export function settingAttributes(): Record<SettingName, AttributeSchema> {
  const numbers = SETTINGS.map((def) => [
    def.name,
    {
      type: "string",
      description: `${describeSetting(def)} When omitted, the value on the server is left as it is.`,
      optional: true,
      computed: true,
      validators: [settingValidator(def)],
    } satisfies AttributeSchema,
  ]);
  const choices = CHOICE_SETTINGS.map((def) => [
    def.name,
    {
      type: "string",
      description: `${describeChoice(def)} When omitted, the value on the server is left as it is.`,
      optional: true,
      computed: true,
      validators: [choiceValidator(def)],
    } satisfies AttributeSchema,
  ]);
  return Object.fromEntries([...numbers, ...choices]) as Record<SettingName, AttributeSchema>;
}

/** Every setting as a read-only attribute, for data sources. */
export function computedSettingAttributes(): Record<SettingName, AttributeSchema> {
  return Object.fromEntries([
    ...SETTINGS.map((def) => [def.name, { type: "string", description: describeSetting(def), computed: true }]),
    ...CHOICE_SETTINGS.map((def) => [def.name, { type: "string", description: describeChoice(def), computed: true }]),
  ]) as Record<SettingName, AttributeSchema>;
}

/**
 * An idle timeout longer than the maximum lifetime is allowed but pointless: a warning, never an error. Compared
 * only when both values are known, valid and not left to the server (null).
 */
export function warnIdleBeyondLifetime(req: ValidateConfigRequest): void {
  const idle = knownValid(req.config, SESSION_INVALIDATION);
  const life = knownValid(req.config, SESSION_EXPIRATION);
  if (idle === undefined || life === undefined) return;
  const idleSeconds = effectiveNumber(SESSION_INVALIDATION, idle);
  const lifeSeconds = effectiveNumber(SESSION_EXPIRATION, life);
  if (idleSeconds > lifeSeconds) {
    req.diagnostics.warning(
      "Idle timeout longer than the maximum session time",
      `${SESSION_INVALIDATION.name} (${idle}${idle === NOT_SET ? `, ${idleSeconds} s by default` : " s"}) is longer than ` +
        `${SESSION_EXPIRATION.name} (${life}${life === NOT_SET ? `, ${lifeSeconds} s by default` : " s"}): every ` +
        `session ends at its maximum lifetime before it could ever reach the idle timeout, so the idle limit has no effect.`,
      [SESSION_INVALIDATION.name],
    );
  }
}

function knownValid(config: ObjectValue, def: SettingDefinition): string | undefined {
  const v = config[def.name];
  if (v === null || v === undefined || isUnknown(v) || typeof v !== "string") return undefined;
  return checkSettingValue(def, v).ok ? v : undefined;
}
