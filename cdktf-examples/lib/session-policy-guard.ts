// SessionPolicyGuard: an aspect that fails synthesis when any iamsession_account_settings resource in its scope,
// however it was written (LoginSessionPolicy, the raw binding, overrides), breaks an organisation's limits. Each
// resource reports every violation at once, and synthesis lists them all.
import { TerraformResource, Token, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import {
  MAX_SESSIONS_PER_IDENTITY,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  checkSettingValue,
  type SettingDefinition,
} from "../../schemas/settings.ts";
import { exceedsLimit } from "../../schemas/setting-rules.ts";
import { AccountSettings } from "./bindings.ts";
import { Duration } from "./duration.ts";
import { describeStoredValue, humanAmount } from "./setting-values.ts";

export interface SessionPolicyLimits {
  /** The longest idle time allowed (`session_invalidation_in_seconds`, NOT_SET counting as the service default). */
  readonly maxIdle?: Duration;
  /** The longest session allowed (`session_expiration_in_seconds`). */
  readonly maxLifetime?: Duration;
  /** The most concurrent sessions per identity allowed (`max_sessions_per_identity`). */
  readonly maxSessionsPerIdentity?: number;
  /** Rejects `max_sessions_per_identity` left unlimited (NOT_SET: the service default is unlimited). */
  readonly forbidUnlimitedSessions?: boolean;
}

export interface SessionPolicyViolation {
  /** The construct path of the resource. */
  readonly path: string;
  readonly attribute: string;
  /** The configured value; undefined when the attribute is not set. */
  readonly value: string | undefined;
  /** The limit broken, as people read it. */
  readonly limit: string;
  readonly message: string;
}

/** One limit on one setting: the largest effective number allowed. */
interface Rule {
  readonly def: SettingDefinition;
  readonly limitName: keyof SessionPolicyLimits;
  readonly max: number;
  readonly limitText: string;
}

export class SessionPolicyGuard implements IAspect {
  private readonly rules: readonly Rule[];
  private readonly guarded = new WeakSet<IConstruct>();

  constructor(readonly limits: SessionPolicyLimits) {
    this.rules = rulesFor(limits);
  }

  visit(node: IConstruct): void {
    if (!isAccountSettings(node) || this.guarded.has(node)) return;
    // Aspects run again on every synth; one validation per resource is enough. The check runs when validations
    // do, after every aspect and override has been applied.
    this.guarded.add(node);
    node.node.addValidation({ validate: () => this.check(node).map((v) => v.message) });
  }

  /** Every limit this resource's configuration breaks. */
  check(resource: TerraformResource): SessionPolicyViolation[] {
    const attributes = configuredAttributes(resource);
    const path = resource.node.path;
    const violations: SessionPolicyViolation[] = [];
    for (const rule of this.rules) {
      const name = rule.def.name;
      const raw = attributes[name];
      const violation = (value: string | undefined, message: string) =>
        violations.push({ path, attribute: name, value, limit: rule.limitText, message });
      const against = `${rule.limitName} (${rule.limitText})`;
      if (raw === undefined || raw === null) {
        violation(undefined, `${name} is not set, so the server keeps whatever it has, which cannot be checked against ${against}; set it explicitly`);
        continue;
      }
      if (typeof raw !== "string" || Token.isUnresolved(raw)) {
        violation(String(raw), `${name} is only known at apply time, so it cannot be checked against ${against}; use a literal value`);
        continue;
      }
      if (!checkSettingValue(rule.def, raw).ok) {
        violation(raw, `${name} = ${JSON.stringify(raw)} is not a valid value, so it cannot be checked against ${against}`);
        continue;
      }
      if (exceedsLimit(rule.def, raw, rule.max)) {
        const shown = `${name} = ${describeStoredValue(rule.def, raw)}`;
        violation(
          raw,
          rule.limitName === "forbidUnlimitedSessions"
            ? `${shown} allows unlimited sessions, which forbidUnlimitedSessions forbids`
            : `${shown} exceeds ${against}`,
        );
      }
    }
    return violations;
  }
}

function isAccountSettings(node: IConstruct): node is TerraformResource {
  return TerraformResource.isTerraformResource(node) && node.terraformResourceType === AccountSettings.tfResourceType;
}

/** The attributes as they will be synthesised: the binding's values with any escape-hatch overrides applied. */
function configuredAttributes(resource: TerraformResource): Record<string, unknown> {
  const blocks = resource.toTerraform().resource?.[resource.terraformResourceType] ?? {};
  return (Object.values(blocks)[0] ?? {}) as Record<string, unknown>;
}

/** The limits as rules, after checking that they are limits at all (a guard with a typo must not pass everything). */
function rulesFor(limits: SessionPolicyLimits): Rule[] {
  const rules: Rule[] = [];
  const durationRule = (limitName: "maxIdle" | "maxLifetime", def: SettingDefinition) => {
    const limit = limits[limitName];
    if (limit === undefined) return;
    if (!Duration.isDuration(limit) || !Number.isInteger(limit.toSeconds()) || limit.toSeconds() <= 0) {
      throw new Error(`SessionPolicyGuard: ${limitName} must be a positive whole number of seconds as a Duration, got ${String(limit)}`);
    }
    rules.push({ def, limitName, max: limit.toSeconds(), limitText: humanAmount(def, limit.toSeconds()) });
  };
  durationRule("maxIdle", SESSION_INVALIDATION);
  durationRule("maxLifetime", SESSION_EXPIRATION);
  const sessions = limits.maxSessionsPerIdentity;
  if (sessions !== undefined) {
    if (!Number.isInteger(sessions) || sessions <= 0) {
      throw new Error(`SessionPolicyGuard: maxSessionsPerIdentity must be a positive whole number, got ${String(sessions)}`);
    }
    rules.push({ def: MAX_SESSIONS_PER_IDENTITY, limitName: "maxSessionsPerIdentity", max: sessions, limitText: humanAmount(MAX_SESSIONS_PER_IDENTITY, sessions) });
  }
  if (limits.forbidUnlimitedSessions) {
    rules.push({ def: MAX_SESSIONS_PER_IDENTITY, limitName: "forbidUnlimitedSessions", max: Number.MAX_SAFE_INTEGER, limitText: "a limit" });
  }
  return rules;
}
