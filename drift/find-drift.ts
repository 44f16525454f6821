// Reads a refresh-only plan (the JSON of `show -json PLANFILE`) and lists, for every iamsession resource type the
// provider has (drift/resource-types.ts), each attribute changed on the server since Terraform last recorded it —
// with the value the configuration sets — and each resource deleted on the server.
import { isLooserThan } from "../schemas/setting-rules.ts";
import type { OwnerKind } from "../schemas/wire.ts";
import { checkedTypes, limitOf, type CheckedType } from "./resource-types.ts";

export interface DriftedSetting {
  /** Resource address, e.g. `iamsession_account_settings.production`. */
  address: string;
  resourceType: string;
  /** The account or enterprise the resource belongs to. */
  owner: { kind: OwnerKind; id: string };
  /** `update`: an attribute changed on the server; `delete`: the resource no longer exists there. */
  change: "update" | "delete";
  /** The changed attribute; null when the resource was deleted. */
  attribute: string | null;
  /** The value the configuration sets, or null when the configuration leaves the attribute to the server. */
  inCode: string | null;
  /** What Terraform last recorded (state before the refresh). */
  lastApplied: string | null;
  /** What the server has now (null when deleted). */
  onServer: string | null;
  /** Whether the server's value is a looser limit (a longer time, more sessions) than the value in code (or last applied). */
  loosened: boolean;
  /** False when the configuration does not set this attribute: the change is reported but is not drift from code. */
  managed: boolean;
}

/** A resource the check looked at. */
export interface CheckedResource {
  address: string;
  type: string;
}

interface DriftEntry {
  address: string;
  type: string;
  mode: string;
  module_address?: string;
  name: string;
  index?: unknown;
  change: { actions: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null };
}

interface StateModule {
  resources?: { address: string; mode: string; type: string }[];
  child_modules?: StateModule[];
}

export interface PlanJson {
  resource_drift?: DriftEntry[];
  prior_state?: { values?: { root_module?: StateModule } };
  configuration?: { root_module?: ConfigModule };
}

interface ConfigModule {
  resources?: { address: string; expressions?: Record<string, { constant_value?: unknown; references?: string[] }> }[];
  module_calls?: Record<string, { module?: ConfigModule }>;
}

export function findDrift(plan: PlanJson, types: CheckedType[] = checkedTypes()): DriftedSetting[] {
  const byType = new Map(types.map((t) => [t.type, t]));
  const out: DriftedSetting[] = [];
  for (const d of plan.resource_drift ?? []) {
    const type = byType.get(d.type);
    if (d.mode !== "managed" || !type) continue;
    const before = d.change.before ?? {};
    const after = d.change.after;
    const owner = { kind: type.coverage.owner.kind, id: asString(before[type.coverage.owner.attribute]) ?? asString(after?.[type.coverage.owner.attribute]) ?? "" };
    const expressions = configExpressions(plan, d);
    if (after === null) {
      out.push({ address: d.address, resourceType: d.type, owner, change: "delete", attribute: null, inCode: null, lastApplied: null, onServer: null, loosened: false, managed: expressions !== undefined });
      continue;
    }
    for (const name of type.attributes) {
      const lastApplied = asString(before[name]);
      const onServer = asString(after[name]);
      if (lastApplied === onServer) continue;
      const expr = expressions?.[name];
      const managed = expr !== undefined;
      // A literal in code is the value in code; an expression is known only as what was last applied from it.
      const inCode = !managed ? null : typeof expr.constant_value === "string" ? expr.constant_value : lastApplied;
      out.push({
        address: d.address,
        resourceType: d.type,
        owner,
        change: "update",
        attribute: name,
        inCode,
        lastApplied,
        onServer,
        loosened: isLooser(name, onServer, inCode ?? lastApplied),
        managed,
      });
    }
  }
  return out;
}

/** Every resource of a covered type in the refreshed state, and every one the refresh found deleted. */
export function checkedResources(plan: PlanJson, types: CheckedType[] = checkedTypes()): CheckedResource[] {
  const covered = new Set(types.map((t) => t.type));
  const seen = new Map<string, CheckedResource>();
  const walk = (m: StateModule | undefined) => {
    for (const r of m?.resources ?? []) if (r.mode === "managed" && covered.has(r.type)) seen.set(r.address, { address: r.address, type: r.type });
    for (const c of m?.child_modules ?? []) walk(c);
  };
  walk(plan.prior_state?.values?.root_module);
  for (const d of plan.resource_drift ?? []) {
    if (d.mode === "managed" && covered.has(d.type)) seen.set(d.address, { address: d.address, type: d.type });
  }
  return [...seen.values()].sort((a, b) => a.address.localeCompare(b.address));
}

/** A server value is looser when the limit it stands for is higher (NOT_SET means the service default). */
export function isLooser(name: string, now: string | null, reference: string | null): boolean {
  const def = limitOf(name);
  if (!def || now === null || reference === null) return false;
  return isLooserThan(def, now, reference);
}

function configExpressions(plan: PlanJson, d: DriftEntry) {
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
