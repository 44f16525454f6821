// Reads a refresh-only plan (the JSON of `show -json PLANFILE`) and lists each account setting that changed on
// the server since Terraform last recorded it, with the value the configuration sets.
import { isLooserThan } from "../schemas/setting-rules.ts";
import { SETTING_NAMES, settingByName, type SettingName } from "../schemas/settings.ts";

/** Resource types whose settings the drift check understands. */
export const SETTINGS_RESOURCE_TYPES = new Set(["iamsession_account_settings"]);

export interface DriftedSetting {
  /** Resource address, e.g. `iamsession_account_settings.production`. */
  address: string;
  resourceType: string;
  accountId: string;
  attribute: SettingName;
  /** The value the configuration sets, or null when the configuration leaves the setting to the server. */
  inCode: string | null;
  /** What Terraform last recorded (state before the refresh). */
  lastApplied: string | null;
  /** What the server has now. */
  onServer: string | null;
  /** Whether the server's value is looser (a longer time, more sessions) than the value in code (or last applied). */
  loosened: boolean;
  /** False when the configuration does not set this setting: the change is reported but is not drift from code. */
  managed: boolean;
}

export interface PlanJson {
  resource_drift?: {
    address: string;
    type: string;
    mode: string;
    module_address?: string;
    name: string;
    index?: unknown;
    change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
  }[];
  configuration?: { root_module?: ConfigModule };
}

interface ConfigModule {
  resources?: { address: string; expressions?: Record<string, { constant_value?: unknown; references?: string[] }> }[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

export function findDrift(plan: PlanJson): DriftedSetting[] {
  const out: DriftedSetting[] = [];
  for (const d of plan.resource_drift ?? []) {
    if (d.mode !== "managed" || !SETTINGS_RESOURCE_TYPES.has(d.type)) continue;
    const before = d.change.before ?? {};
    const after = d.change.after;
    const expressions = configExpressions(plan, d);
    for (const name of SETTING_NAMES) {
      const lastApplied = asString(before[name]);
      const onServer = after ? asString(after[name]) : null;
      if (lastApplied === onServer) continue;
      const expr = expressions?.[name];
      const managed = expr !== undefined;
      // A literal in code is the value in code; an expression is known only as what was last applied from it.
      const inCode = !managed ? null : typeof expr.constant_value === "string" ? expr.constant_value : lastApplied;
      const reference = inCode ?? lastApplied;
      out.push({
        address: d.address,
        resourceType: d.type,
        accountId: asString(before.account_id) ?? asString(after?.account_id) ?? "",
        attribute: name,
        inCode,
        lastApplied,
        onServer,
        loosened: isLooser(name, onServer, reference),
        managed,
      });
    }
  }
  return out;
}

/**
 * A server value is looser when the limit it stands for is higher (NOT_SET means the service default). A choice
 * (max_sessions_exceeded_action) is reported when it changes but is neither looser nor stricter.
 */
export function isLooser(name: SettingName, now: string | null, reference: string | null): boolean {
  const def = settingByName(name);
  if (!def || now === null) return false;
  if (reference === null) return false;
  return isLooserThan(def, now, reference);
}

function configExpressions(plan: PlanJson, d: NonNullable<PlanJson["resource_drift"]>[number]) {
  // Configuration addresses carry no instance keys and are relative to their module.
  let mod = plan.configuration?.root_module;
  const path = d.module_address ? d.module_address.replace(/\[[^\]]*\]/g, "").split(".").filter((p, i) => i % 2 === 1) : [];
  for (const call of path) mod = mod?.module_calls?.[call]?.module;
  const configAddress = `${d.type}.${d.name}`;
  return mod?.resources?.find((r) => r.address === configAddress)?.expressions;
}

function asString(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}
