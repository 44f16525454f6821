// Provider attributes and plan-time checks derived from the settings model in schemas/, so that ranges, defaults
// and descriptions are defined once.
import {
  NOT_SET,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  SETTINGS,
  checkSettingValue,
  effectiveNumber,
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

/** The three settings as optional+computed string attributes: an omitted setting is left as the server has it. */
export function settingAttributes(): Record<SettingName, AttributeSchema> {
  return Object.fromEntries(
    SETTINGS.map((def) => [
      def.name,
      {
        type: "string",
        description: `${describeSetting(def)} When omitted, the value on the server is left as it is.`,
        optional: true,
        computed: true,
        validators: [settingValidator(def)],
      } satisfies AttributeSchema,
    ]),
  ) as Record<SettingName, AttributeSchema>;
}

/** The three settings as read-only attributes, for data sources. */
export function computedSettingAttributes(): Record<SettingName, AttributeSchema> {
  return Object.fromEntries(
    SETTINGS.map((def) => [def.name, { type: "string", description: describeSetting(def), computed: true }]),
  ) as Record<SettingName, AttributeSchema>;
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
