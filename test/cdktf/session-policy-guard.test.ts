import { readFileSync } from "node:fs";
import { Aspects, TerraformResource, TerraformStack, TerraformVariable, Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  EnterpriseSettings,
  TrustedProfile,
  AccountSettings,
  Duration,
  LoginSessionPolicy,
  MaxSessionsExceededAction,
  NOT_SET,
  PolicyPresets,
  SessionPolicyGuard,
  UNLIMITED,
  type SessionPolicyLimits,
} from "../../constructs/lib/index.js";
import { humanSeconds } from "../../constructs/lib/duration.js";
import { CHOICE_SETTINGS, MAX_SESSIONS_EXCEEDED_ACTION, SESSION_EXPIRATION, SESSION_INVALIDATION, SETTINGS, TRUSTED_PROFILE_SESSION_DURATION } from "../../schemas/settings.ts";
import { PROVIDER_SCHEMA_PATH } from "../../scripts/generators/provider-schema.ts";
import { newStack, validationErrors } from "./synth.ts";

const ORG_LIMITS: SessionPolicyLimits = {
  maxIdle: Duration.minutes(30),
  maxLifetime: Duration.hours(12),
  forbidUnlimitedSessions: true,
};

function guarded(limits: SessionPolicyLimits = ORG_LIMITS): TerraformStack {
  const stack = newStack();
  Aspects.of(stack).add(new SessionPolicyGuard(limits));
  return stack;
}

describe("SessionPolicyGuard", () => {
  it("lets a compliant stack synthesise", () => {
    const stack = guarded();
    new LoginSessionPolicy(stack, "policy", { accounts: ["a", "b"], ...PolicyPresets.financial });
    new LoginSessionPolicy(stack, "also", { accounts: "c", ...PolicyPresets.balanced });
    expect(validationErrors(stack)).toEqual([]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });

  it("fails synthesis listing every violation: resource path, attribute, value and limit", () => {
    const stack = guarded();
    new LoginSessionPolicy(stack, "sandbox", { accounts: ["sb-1", "sb-2"], ...PolicyPresets.relaxed });
    new LoginSessionPolicy(stack, "fine", { accounts: "ok", ...PolicyPresets.financial });
    expect(validationErrors(stack)).toEqual(
      ["sb-1", "sb-2"].flatMap((account) => [
        `[stack/sandbox/${account}] session_invalidation_in_seconds = "7200" (2 hours) exceeds maxIdle (30 minutes (1800 s))`,
        `[stack/sandbox/${account}] session_expiration_in_seconds = "86400" (1 day) exceeds maxLifetime (12 hours (43200 s))`,
        `[stack/sandbox/${account}] max_sessions_per_identity = "NOT_SET" (service default: unlimited) allows unlimited sessions, which forbidUnlimitedSessions forbids`,
      ]),
    );
  });

  it("reads NOT_SET as the service default from the settings model", () => {
    const idleDefault = SESSION_INVALIDATION.serviceDefault as number;
    const lifetimeDefault = SESSION_EXPIRATION.serviceDefault as number;
    const strict = guarded({ maxIdle: Duration.seconds(idleDefault - 1), maxLifetime: Duration.seconds(lifetimeDefault - 1) });
    new LoginSessionPolicy(strict, "policy", { accounts: "a", maxIdle: NOT_SET, maxLifetime: NOT_SET });
    expect(validationErrors(strict)).toEqual([
      `[stack/policy/a] session_invalidation_in_seconds = "NOT_SET" (service default: ${humanSeconds(idleDefault)} (${idleDefault} s)) exceeds maxIdle (${humanSeconds(idleDefault - 1)} (${idleDefault - 1} s))`,
      `[stack/policy/a] session_expiration_in_seconds = "NOT_SET" (service default: ${humanSeconds(lifetimeDefault)} (${lifetimeDefault} s)) exceeds maxLifetime (${humanSeconds(lifetimeDefault - 1)} (${lifetimeDefault - 1} s))`,
    ]);

    const atDefault = guarded({ maxIdle: Duration.seconds(idleDefault), maxLifetime: Duration.seconds(lifetimeDefault) });
    new LoginSessionPolicy(atDefault, "policy", { accounts: "a", maxIdle: NOT_SET, maxLifetime: NOT_SET });
    expect(validationErrors(atDefault)).toEqual([]);
  });

  it("checks the concurrent-session limit, NOT_SET counting as unlimited", () => {
    const stack = guarded({ maxSessionsPerIdentity: 3 });
    new LoginSessionPolicy(stack, "many", { accounts: "many", maxSessionsPerIdentity: 4 });
    new LoginSessionPolicy(stack, "unlimited", { accounts: "unl", maxSessionsPerIdentity: UNLIMITED });
    new LoginSessionPolicy(stack, "few", { accounts: "few", maxSessionsPerIdentity: 3 });
    expect(validationErrors(stack)).toEqual([
      `[stack/many/many] max_sessions_per_identity = "4" (4 sessions) exceeds maxSessionsPerIdentity (3 sessions)`,
      `[stack/unlimited/unl] max_sessions_per_identity = "NOT_SET" (service default: unlimited) exceeds maxSessionsPerIdentity (3 sessions)`,
    ]);
  });

  it("guards resources written with the raw binding and with escape-hatch overrides", () => {
    const stack = guarded({ maxIdle: Duration.minutes(30) });
    new AccountSettings(stack, "raw", { accountId: "raw", sessionInvalidationInSeconds: "3600" });
    const policy = new LoginSessionPolicy(stack, "policy", { accounts: "over", maxIdle: Duration.minutes(15) });
    policy.resourceFor("over")!.addOverride("session_invalidation_in_seconds", "7200");
    expect(validationErrors(stack)).toEqual([
      `[stack/raw] session_invalidation_in_seconds = "3600" (1 hour) exceeds maxIdle (30 minutes (1800 s))`,
      `[stack/policy/over] session_invalidation_in_seconds = "7200" (2 hours) exceeds maxIdle (30 minutes (1800 s))`,
    ]);
  });

  it("fails closed on values it cannot check: unset, known only at apply, or invalid", () => {
    const stack = guarded({ maxIdle: Duration.minutes(30), maxLifetime: Duration.hours(12) });
    const idle = new TerraformVariable(stack, "idle", { type: "string" });
    new AccountSettings(stack, "r", { accountId: "r", sessionInvalidationInSeconds: idle.stringValue });
    new AccountSettings(stack, "bad", { accountId: "bad", sessionInvalidationInSeconds: "0900", sessionExpirationInSeconds: "3600" });
    expect(validationErrors(stack)).toEqual([
      "[stack/r] session_invalidation_in_seconds is only known at apply time, so it cannot be checked against maxIdle (30 minutes (1800 s)); use a literal value",
      "[stack/r] session_expiration_in_seconds is not set, so the server keeps whatever it has, which cannot be checked against maxLifetime (12 hours (43200 s)); set it explicitly",
      `[stack/bad] session_invalidation_in_seconds = "0900" is not a valid value, so it cannot be checked against maxIdle (30 minutes (1800 s))`,
    ]);
  });

  it("returns the violations as data", () => {
    const stack = newStack();
    const guard = new SessionPolicyGuard({ maxIdle: Duration.minutes(30) });
    const resource = new AccountSettings(stack, "r", { accountId: "r", sessionInvalidationInSeconds: "NOT_SET" });
    expect(guard.check(resource)).toEqual([
      {
        path: "stack/r",
        resourceType: "iamsession_account_settings",
        attribute: "session_invalidation_in_seconds",
        value: "NOT_SET",
        limit: "30 minutes (1800 s)",
        message: `session_invalidation_in_seconds = "NOT_SET" (service default: 2 hours (7200 s)) exceeds maxIdle (30 minutes (1800 s))`,
      },
    ]);
  });

  it("reports each violation once however often the stack is synthesised", () => {
    const stack = guarded({ maxIdle: Duration.minutes(30) });
    new AccountSettings(stack, "r", { accountId: "r", sessionInvalidationInSeconds: "3600" });
    expect(validationErrors(stack)).toHaveLength(1);
    expect(validationErrors(stack)).toHaveLength(1);
  });

  it("checks enterprise settings with the same limits as accounts", () => {
    const stack = guarded({ maxIdle: Duration.minutes(30), forbidUnlimitedSessions: true });
    new EnterpriseSettings(stack, "ent", { enterpriseId: "acme", sessionInvalidationInSeconds: "3600", maxSessionsPerIdentity: "NOT_SET" });
    new EnterpriseSettings(stack, "fine", { enterpriseId: "ok", sessionInvalidationInSeconds: "1800", maxSessionsPerIdentity: "4" });
    expect(validationErrors(stack)).toEqual([
      `[stack/ent] session_invalidation_in_seconds = "3600" (1 hour) exceeds maxIdle (30 minutes (1800 s))`,
      `[stack/ent] max_sessions_per_identity = "NOT_SET" (service default: unlimited) allows unlimited sessions, which forbidUnlimitedSessions forbids`,
    ]);
  });

  it("checks trusted profiles' session duration, NOT_SET counting as the profile default", () => {
    const stack = guarded({ maxTrustedProfileSessionDuration: Duration.minutes(30) });
    new TrustedProfile(stack, "long", { accountId: "a", name: "long", sessionDurationInSeconds: "43200" });
    new TrustedProfile(stack, "default", { accountId: "a", name: "default", sessionDurationInSeconds: "NOT_SET" });
    new TrustedProfile(stack, "short", { accountId: "a", name: "short", sessionDurationInSeconds: "900" });
    expect(validationErrors(stack)).toEqual([
      `[stack/long] session_duration_in_seconds = "43200" (12 hours) exceeds maxTrustedProfileSessionDuration (30 minutes (1800 s))`,
      `[stack/default] session_duration_in_seconds = "NOT_SET" (service default: ${humanSeconds(TRUSTED_PROFILE_SESSION_DURATION.serviceDefault as number)} (${TRUSTED_PROFILE_SESSION_DURATION.serviceDefault} s)) exceeds maxTrustedProfileSessionDuration (30 minutes (1800 s))`,
    ]);
  });

  it("does not apply account limits to trusted profiles, nor the profile limit to accounts", () => {
    const stack = guarded({ maxIdle: Duration.minutes(30) });
    new TrustedProfile(stack, "p", { accountId: "a", name: "p" });
    const other = guarded({ maxTrustedProfileSessionDuration: Duration.hours(1) });
    new AccountSettings(other, "r", { accountId: "r" });
    expect(validationErrors(stack)).toEqual([]);
    expect(validationErrors(other)).toEqual([]);
  });

  it("covers every resource type of the provider schema that carries a login-session setting", () => {
    const schema = JSON.parse(readFileSync(PROVIDER_SCHEMA_PATH, "utf8"));
    const known = new Set([...SETTINGS, TRUSTED_PROFILE_SESSION_DURATION, ...CHOICE_SETTINGS].map((s) => s.name));
    const resources = Object.values<any>(schema.provider_schemas)[0].resource_schemas as Record<string, any>;
    const carrying = Object.entries(resources).filter(([, r]) => Object.keys(r.block.attributes).some((a) => known.has(a)));
    expect(carrying.length).toBeGreaterThanOrEqual(3);
    for (const [type, r] of carrying) {
      const stack = guarded({
        maxIdle: Duration.minutes(15),
        maxLifetime: Duration.minutes(15),
        maxSessionsPerIdentity: 1,
        maxTrustedProfileSessionDuration: Duration.minutes(15),
        allowedMaxSessionsExceededActions: [MaxSessionsExceededAction.DENY_NEW],
      });
      // A resource of this type with every attribute left out: each limited setting it carries is a violation.
      const resource = new TerraformResource(stack, "r", { terraformResourceType: type });
      const attrs = Object.keys(r.block.attributes).filter((a) => known.has(a)).sort();
      expect(SessionPolicyGuard.isGuardedResource(resource), type).toBe(true);
      expect(validationErrors(stack).map((l) => l.split(" ")[1]).sort(), type).toEqual(attrs);
    }
  });

  it("allows only the listed max_sessions_exceeded_action, NOT_SET counting as the service default", () => {
    const stack = guarded({ allowedMaxSessionsExceededActions: [MaxSessionsExceededAction.DENY_NEW] });
    new LoginSessionPolicy(stack, "deny", { accounts: "deny", maxSessionsExceededAction: MaxSessionsExceededAction.DENY_NEW });
    new LoginSessionPolicy(stack, "oldest", { accounts: "oldest", maxSessionsExceededAction: MaxSessionsExceededAction.END_OLDEST });
    new EnterpriseSettings(stack, "ent", { enterpriseId: "acme", maxSessionsExceededAction: "NOT_SET" });
    new AccountSettings(stack, "unset", { accountId: "unset" });
    expect(validationErrors(stack)).toEqual([
      `[stack/oldest/oldest] max_sessions_exceeded_action = "END_OLDEST" is not one of allowedMaxSessionsExceededActions (DENY_NEW)`,
      `[stack/ent] max_sessions_exceeded_action = "NOT_SET" (service default: ${MAX_SESSIONS_EXCEEDED_ACTION.serviceDefault}) is not one of allowedMaxSessionsExceededActions (DENY_NEW)`,
      "[stack/unset] max_sessions_exceeded_action is not set, so the server keeps whatever it has, which cannot be checked against allowedMaxSessionsExceededActions (DENY_NEW); set it explicitly",
    ]);
    expect(() => new SessionPolicyGuard({ allowedMaxSessionsExceededActions: ["KICK_ALL" as never] })).toThrow(
      'SessionPolicyGuard: allowedMaxSessionsExceededActions must be a non-empty list of MaxSessionsExceededAction values, got ["KICK_ALL"]',
    );
  });

  it("ignores what carries no login-session setting", () => {
    const stack = guarded();
    new TerraformVariable(stack, "v", { type: "string" });
    expect(validationErrors(stack)).toEqual([]);
  });

  it("refuses limits that are not limits", () => {
    expect(() => new SessionPolicyGuard({ maxIdle: Duration.seconds(0.5) })).toThrow(
      "SessionPolicyGuard: maxIdle must be a positive whole number of seconds as a Duration, got 0.5 seconds",
    );
    expect(() => new SessionPolicyGuard({ maxLifetime: 3600 as never })).toThrow(
      "SessionPolicyGuard: maxLifetime must be a positive whole number of seconds as a Duration, got 3600",
    );
    expect(() => new SessionPolicyGuard({ maxSessionsPerIdentity: 0 })).toThrow(
      "SessionPolicyGuard: maxSessionsPerIdentity must be a positive whole number, got 0",
    );
  });
});
