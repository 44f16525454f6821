// SessionPolicyGuard: an aspect that fails synthesis when any resource in its scope that carries login-session
// settings (account settings, enterprise settings, trusted profiles: every type the provider schema gives such an
// attribute, src/generated/model.ts), however it was written (LoginSessionPolicy, a binding, overrides), breaks an
// organisation's limits. Each resource reports every violation at once, and synthesis lists them all.
import { IAspect, TerraformResource, Token } from "cdktf";
import { IConstruct } from "constructs";
import { Duration } from "./duration.js";
import {
  GUARDED_RESOURCE_TYPES,
  MAX_SESSIONS_EXCEEDED_ACTION_FACTS,
  MAX_SESSIONS_PER_IDENTITY,
  MaxSessionsExceededAction,
  NOT_SET_WORD,
  SESSION_DURATION,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  type SettingFacts,
} from "./generated/model.js";
import { describeStoredValue, effectiveNumber, humanAmount, isValidStoredValue } from "./setting-values.js";

/** An organisation's limits; each one left out is not checked. */
export interface SessionPolicyLimits {
  /** The longest idle time allowed (`session_invalidation_in_seconds`, NOT_SET counting as the service default). */
  readonly maxIdle?: Duration;
  /** The longest session allowed (`session_expiration_in_seconds`). */
  readonly maxLifetime?: Duration;
  /** The most concurrent sessions per identity allowed (`max_sessions_per_identity`). */
  readonly maxSessionsPerIdentity?: number;
  /** Rejects `max_sessions_per_identity` left unlimited (NOT_SET: the service default is unlimited). */
  readonly forbidUnlimitedSessions?: boolean;
  /**
   * The only actions allowed when the concurrent-session limit is reached (`max_sessions_exceeded_action`,
   * NOT_SET counting as the service default), e.g. `[MaxSessionsExceededAction.DENY_NEW]`.
   */
  readonly allowedMaxSessionsExceededActions?: MaxSessionsExceededAction[];
  /** The longest session a trusted profile may grant (`session_duration_in_seconds`, NOT_SET being 1 hour). */
  readonly maxTrustedProfileSessionDuration?: Duration;
}

/** One limit one resource breaks. */
export interface SessionPolicyViolation {
  /** The construct path of the resource. */
  readonly path: string;
  /** The Terraform resource type (`iamsession_enterprise_settings`, …). */
  readonly resourceType: string;
  /** The attribute that breaks the limit. */
  readonly attribute: string;
  /** The configured value; undefined when the attribute is not set. */
  readonly value?: string;
  /** The limit broken, as people read it. */
  readonly limit: string;
  /** The whole finding, as synthesis prints it. */
  readonly message: string;
}

type LimitName = keyof SessionPolicyLimits;

/** One limit on one setting: the largest effective number allowed. */
interface Rule {
  readonly def: SettingFacts;
  readonly limitName: LimitName;
  readonly max: number;
  readonly limitText: string;
}

/** An aspect that fails synthesis when a login-session setting in its scope breaks the given limits. */
export class SessionPolicyGuard implements IAspect {
  /** Whether `node` is a resource the guard checks: one whose type carries login-session settings. */
  public static isGuardedResource(node: IConstruct): boolean {
    return TerraformResource.isTerraformResource(node) && GUARDED_RESOURCE_TYPES[(node as TerraformResource).terraformResourceType] !== undefined;
  }

  /** The limits the guard enforces. */
  public readonly limits: SessionPolicyLimits;
  private readonly rules: Rule[];
  /** The allowed actions with NOT_SET resolved to the service default; undefined when not limited. */
  private readonly allowedActions?: string[];
  private readonly guarded = new WeakSet<IConstruct>();

  public constructor(limits: SessionPolicyLimits) {
    this.limits = limits;
    this.rules = rulesFor(limits);
    this.allowedActions = allowedActionsFor(limits);
  }

  /** Adds the check to every guarded resource (called by Aspects). */
  public visit(node: IConstruct): void {
    if (!SessionPolicyGuard.isGuardedResource(node) || this.guarded.has(node)) return;
    // Aspects run again on every synth; one validation per resource is enough. The check runs when validations
    // do, after every aspect and override has been applied.
    this.guarded.add(node);
    const resource = node as TerraformResource;
    node.node.addValidation({ validate: () => this.check(resource).map((v) => v.message) });
  }

  /** Every limit this resource's configuration breaks (none for a resource type without such settings). */
  public check(resource: TerraformResource): SessionPolicyViolation[] {
    const type = resource.terraformResourceType;
    const carried = GUARDED_RESOURCE_TYPES[type] ?? [];
    const attributes = configuredAttributes(resource);
    const path = resource.node.path;
    const violations: SessionPolicyViolation[] = [];
    for (const rule of this.rules) {
      const name = rule.def.name;
      if (!carried.includes(name)) continue;
      const raw = attributes[name];
      const violation = (value: string | undefined, message: string) =>
        violations.push({ path, resourceType: type, attribute: name, value, limit: rule.limitText, message });
      const against = `${rule.limitName} (${rule.limitText})`;
      if (raw === undefined || raw === null) {
        violation(undefined, `${name} is not set, so the server keeps whatever it has, which cannot be checked against ${against}; set it explicitly`);
        continue;
      }
      if (typeof raw !== "string" || Token.isUnresolved(raw)) {
        violation(String(raw), `${name} is only known at apply time, so it cannot be checked against ${against}; use a literal value`);
        continue;
      }
      if (!isValidStoredValue(rule.def, raw)) {
        violation(raw, `${name} = ${JSON.stringify(raw)} is not a valid value, so it cannot be checked against ${against}`);
        continue;
      }
      if (effectiveNumber(rule.def, raw) > rule.max) {
        const shown = `${name} = ${describeStoredValue(rule.def, raw)}`;
        violation(
          raw,
          rule.limitName === "forbidUnlimitedSessions"
            ? `${shown} allows unlimited sessions, which forbidUnlimitedSessions forbids`
            : `${shown} exceeds ${against}`,
        );
      }
    }
    const allowed = this.allowedActions;
    const name = MAX_SESSIONS_EXCEEDED_ACTION_FACTS.name;
    if (allowed && carried.includes(name)) {
      const raw = attributes[name];
      const limitText = allowed.join(", ");
      const against = `allowedMaxSessionsExceededActions (${limitText})`;
      const violation = (value: string | undefined, message: string) =>
        violations.push({ path, resourceType: type, attribute: name, value, limit: limitText, message });
      if (raw === undefined || raw === null) {
        violation(undefined, `${name} is not set, so the server keeps whatever it has, which cannot be checked against ${against}; set it explicitly`);
      } else if (typeof raw !== "string" || Token.isUnresolved(raw)) {
        violation(String(raw), `${name} is only known at apply time, so it cannot be checked against ${against}; use a literal value`);
      } else if (raw !== NOT_SET_WORD && !MAX_SESSIONS_EXCEEDED_ACTION_FACTS.choices.includes(raw)) {
        violation(raw, `${name} = ${JSON.stringify(raw)} is not a valid value, so it cannot be checked against ${against}`);
      } else {
        const effective = raw === NOT_SET_WORD ? MAX_SESSIONS_EXCEEDED_ACTION_FACTS.serviceDefault : raw;
        if (!allowed.includes(effective)) {
          const shown = raw === NOT_SET_WORD ? `"${NOT_SET_WORD}" (service default: ${effective})` : JSON.stringify(raw);
          violation(raw, `${name} = ${shown} is not one of ${against}`);
        }
      }
    }
    return violations;
  }
}

/** The attributes as they will be synthesised: the binding's values with any escape-hatch overrides applied. */
function configuredAttributes(resource: TerraformResource): Record<string, unknown> {
  const blocks = resource.toTerraform().resource?.[resource.terraformResourceType] ?? {};
  return (Object.values(blocks)[0] ?? {}) as Record<string, unknown>;
}

function allowedActionsFor(limits: SessionPolicyLimits): string[] | undefined {
  const given = limits.allowedMaxSessionsExceededActions;
  if (given === undefined) return undefined;
  const valid = [...MAX_SESSIONS_EXCEEDED_ACTION_FACTS.choices, NOT_SET_WORD];
  if (!Array.isArray(given) || given.length === 0 || given.some((a) => !valid.includes(a))) {
    throw new Error(`SessionPolicyGuard: allowedMaxSessionsExceededActions must be a non-empty list of MaxSessionsExceededAction values, got ${JSON.stringify(given)}`);
  }
  return [...new Set(given.map((a) => (a === NOT_SET_WORD ? MAX_SESSIONS_EXCEEDED_ACTION_FACTS.serviceDefault : a)))];
}

/** The limits as rules, after checking that they are limits at all (a guard with a typo must not pass everything). */
function rulesFor(limits: SessionPolicyLimits): Rule[] {
  const rules: Rule[] = [];
  const durationRule = (limitName: LimitName, def: SettingFacts) => {
    const limit = limits[limitName] as Duration | undefined;
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
  durationRule("maxTrustedProfileSessionDuration", SESSION_DURATION);
  return rules;
}
