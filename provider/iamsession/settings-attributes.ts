// Provider attributes and plan-time checks derived from the settings model in schemas/, so that ranges, defaults
// and descriptions are defined once.
import { IDLE_BEYOND_LIFETIME, idleBeyondLifetime, type RuleOperand } from "../../schemas/setting-rules.ts";
import {
  CHOICE_SETTINGS,
  NOT_SET,
  SETTINGS,
  SETTING_NAMES,
  checkChoiceValue,
  checkSettingValue,
  describeValidChoices,
  type ChoiceSettingDefinition,
  type SettingDefinition,
  type SettingName,
} from "../../schemas/settings.ts";
import { isUnknown, type AttributeSchema, type ObjectValue, type ValidateConfigRequest, type Validator } from "../framework/index.ts";

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
 * The cross-setting rule of schemas/setting-rules.ts as a plan-time warning. Compared only when both values are
 * known and not left to the server (null); the rule itself passes over invalid values.
 */
export function warnIdleBeyondLifetime(req: ValidateConfigRequest): void {
  const found = idleBeyondLifetime(knownStrings(req.config));
  if (!found) return;
  req.diagnostics.warning(
    IDLE_BEYOND_LIFETIME.title,
    `${shown(found.idle)} is longer than ${shown(found.lifetime)}: ${IDLE_BEYOND_LIFETIME.why}.`,
    [IDLE_BEYOND_LIFETIME.subject.name],
  );
}

/** `session_invalidation_in_seconds (NOT_SET, 7200 s by default)`, `session_expiration_in_seconds (3600 s)`. */
function shown(o: RuleOperand): string {
  return `${o.def.name} (${o.value}${o.value === NOT_SET ? `, ${o.seconds} s by default` : " s"})`;
}

function knownStrings(config: ObjectValue): Partial<Record<SettingName, string>> {
  const out: Partial<Record<SettingName, string>> = {};
  for (const n of SETTING_NAMES) {
    const v = config[n];
    if (typeof v === "string" && !isUnknown(v)) out[n] = v;
  }
  return out;
}
