import { TerraformVariable } from "cdktf";
import { describe, expect, it } from "vitest";
import {
  DestroyBehavior,
  Duration,
  MaxSessionsExceededAction,
  IamsessionProvider,
  LoginSessionPolicy,
  NOT_SET,
  PolicyPreset,
  PolicyPresets,
  UNLIMITED,
} from "../../constructs/lib/index.js";
import { humanSeconds } from "../../constructs/lib/duration.js";
import {
  MAX_SESSIONS_EXCEEDED_ACTION,
  MAX_SESSIONS_PER_IDENTITY,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  checkSettingValue,
} from "../../schemas/settings.ts";
import { IDLE_BEYOND_LIFETIME } from "../../schemas/setting-rules.ts";
import { accountSettings, newStack, synth, validationErrors } from "./synth.ts";

/** A preset's duration in seconds (presets are typed as settings, whose durations may also be NOT_SET). */
const secondsOf = (value: unknown): number => (value as Duration).toSeconds();
const seconds = (n: number) => `${humanSeconds(n)} (${n} s)`;
/** The valid values as the messages state them, built from the settings model. */
const idleRange = `${seconds(SESSION_INVALIDATION.min)} to ${seconds(SESSION_INVALIDATION.max)}, or NOT_SET (the service default: ${seconds(SESSION_INVALIDATION.serviceDefault as number)})`;
const lifetimeRange = `${seconds(SESSION_EXPIRATION.min)} to ${seconds(SESSION_EXPIRATION.max)}, or NOT_SET (the service default: ${seconds(SESSION_EXPIRATION.serviceDefault as number)})`;
const sessionsRange = `${MAX_SESSIONS_PER_IDENTITY.min} session to ${MAX_SESSIONS_PER_IDENTITY.max} sessions, "unlimited", or NOT_SET (the service default: unlimited)`;

describe("LoginSessionPolicy", () => {
  it("creates one account settings resource with canonical strings for one account", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "policy", {
      accounts: "acme-prod",
      maxIdle: Duration.minutes(30),
      maxLifetime: Duration.hours(12),
      maxSessionsPerIdentity: 3,
    });
    expect(accountSettings(stack)).toEqual({
      "acme-prod": {
        account_id: "acme-prod",
        session_invalidation_in_seconds: "1800",
        session_expiration_in_seconds: "43200",
        max_sessions_per_identity: "3",
      },
    });
  });

  it("creates one resource per account, each with the same values", () => {
    const stack = newStack();
    const policy = new LoginSessionPolicy(stack, "policy", { accounts: ["a-1", "a-2", "a-3"], ...PolicyPresets.balanced });
    const resources = accountSettings(stack);
    expect(Object.keys(resources).sort()).toEqual(["a-1", "a-2", "a-3"]);
    for (const r of Object.values(resources)) {
      expect(r).toMatchObject({ session_invalidation_in_seconds: "1800", session_expiration_in_seconds: "28800", max_sessions_per_identity: "5" });
    }
    expect(policy.accountIds).toEqual(["a-1", "a-2", "a-3"]);
    expect(policy.resourceFor("a-2")?.accountIdInput).toBe("a-2");
    expect(policy.resources).toHaveLength(3);
  });

  it("leaves omitted settings out, so the server keeps them", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "policy", { accounts: "acme", maxIdle: Duration.minutes(15) });
    expect(accountSettings(stack).acme).toEqual({ account_id: "acme", session_invalidation_in_seconds: "900" });
  });

  it("writes NOT_SET as the explicit choice of the service default, and unlimited sessions as NOT_SET", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "policy", {
      accounts: "acme",
      maxIdle: NOT_SET,
      maxLifetime: NOT_SET,
      maxSessionsPerIdentity: UNLIMITED,
    });
    expect(accountSettings(stack).acme).toEqual({
      account_id: "acme",
      session_invalidation_in_seconds: "NOT_SET",
      session_expiration_in_seconds: "NOT_SET",
      max_sessions_per_identity: "NOT_SET",
    });
  });

  it("accepts the bounds of every range", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "low", {
      accounts: "low",
      maxIdle: Duration.seconds(SESSION_INVALIDATION.min),
      maxLifetime: Duration.seconds(SESSION_EXPIRATION.min),
      maxSessionsPerIdentity: MAX_SESSIONS_PER_IDENTITY.min,
    });
    new LoginSessionPolicy(stack, "high", {
      accounts: "high",
      maxIdle: Duration.seconds(SESSION_INVALIDATION.max),
      maxLifetime: Duration.seconds(SESSION_EXPIRATION.max),
      maxSessionsPerIdentity: MAX_SESSIONS_PER_IDENTITY.max,
    });
    const resources = accountSettings(stack);
    expect(resources.high?.max_sessions_per_identity).toBe(String(MAX_SESSIONS_PER_IDENTITY.max));
    expect(resources.low?.session_invalidation_in_seconds).toBe(String(SESSION_INVALIDATION.min));
  });

  it("uses the given provider configuration", () => {
    const stack = newStack();
    const other = new IamsessionProvider(stack, "other", { alias: "other", endpoint: "http://127.0.0.1:9" });
    new LoginSessionPolicy(stack, "policy", { accounts: "acme", maxIdle: Duration.minutes(20), provider: other });
    expect(accountSettings(stack).acme?.provider).toBe("iamsession.other");
  });

  it("writes max_sessions_exceeded_action from the enum, NOT_SET included, and names a wrong value with the choices", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "deny", { accounts: "deny", maxSessionsExceededAction: MaxSessionsExceededAction.DENY_NEW });
    new LoginSessionPolicy(stack, "dflt", { accounts: "dflt", maxSessionsExceededAction: MaxSessionsExceededAction.NOT_SET });
    expect(accountSettings(stack).deny).toEqual({ account_id: "deny", max_sessions_exceeded_action: "DENY_NEW" });
    expect(accountSettings(stack).dflt).toEqual({ account_id: "dflt", max_sessions_exceeded_action: "NOT_SET" });
    expect(Object.values(MaxSessionsExceededAction).filter((v) => v !== "NOT_SET")).toEqual([...MAX_SESSIONS_EXCEEDED_ACTION.choices]);
    const bad = newStack();
    new LoginSessionPolicy(bad, "p", { accounts: "a", maxSessionsExceededAction: "end_oldest" as never });
    new LoginSessionPolicy(bad, "q", { accounts: "b", maxSessionsExceededAction: 3 as never });
    const valid = `${MAX_SESSIONS_EXCEEDED_ACTION.choices.map((c) => `MaxSessionsExceededAction.${c}`).join(", ")} or MaxSessionsExceededAction.NOT_SET (the service default: ${MAX_SESSIONS_EXCEEDED_ACTION.serviceDefault})`;
    expect(validationErrors(bad)).toEqual([
      `[stack/p] maxSessionsExceededAction (max_sessions_exceeded_action): "end_oldest" is not a choice (choices are upper case); valid values are ${valid}`,
      `[stack/q] maxSessionsExceededAction (max_sessions_exceeded_action): number 3 is not a choice; valid values are ${valid}`,
    ]);
  });

  it("passes destroyBehavior through to every account's resource, and leaves it out when not given", () => {
    const stack = newStack();
    new LoginSessionPolicy(stack, "handover", { accounts: ["a1", "a2"], maxIdle: Duration.minutes(20), destroyBehavior: DestroyBehavior.ABANDON });
    new LoginSessionPolicy(stack, "default", { accounts: "a3", maxIdle: Duration.minutes(20) });
    const resources = accountSettings(stack);
    expect(resources.a1?.destroy_behavior).toBe("abandon");
    expect(resources.a2?.destroy_behavior).toBe("abandon");
    expect(resources.a3).not.toHaveProperty("destroy_behavior");
  });

  it("accepts an account id known only at apply time", () => {
    const stack = newStack();
    const account = new TerraformVariable(stack, "account", { type: "string" });
    new LoginSessionPolicy(stack, "policy", { accounts: [account.stringValue], maxIdle: Duration.minutes(20) });
    const resources = synth(stack).resource?.iamsession_account_settings ?? {};
    expect(Object.values(resources)[0]?.account_id).toBe("${var.account}");
  });

  describe("presets", () => {
    for (const [name, preset] of Object.entries(PolicyPresets)) {
      it(`${name} synthesises values the provider accepts`, () => {
        const stack = newStack();
        new LoginSessionPolicy(stack, "policy", { accounts: "acme", ...preset });
        const r = accountSettings(stack).acme!;
        expect(checkSettingValue(SESSION_INVALIDATION, r.session_invalidation_in_seconds).ok).toBe(true);
        expect(checkSettingValue(SESSION_EXPIRATION, r.session_expiration_in_seconds).ok).toBe(true);
        expect(checkSettingValue(MAX_SESSIONS_PER_IDENTITY, r.max_sessions_per_identity).ok).toBe(true);
      });
    }

    it("financial signs out within 15 idle minutes and ends sessions within the hour", () => {
      expect(secondsOf(PolicyPresets.financial.maxIdle)).toBeLessThanOrEqual(15 * 60);
      expect(secondsOf(PolicyPresets.financial.maxLifetime)).toBeLessThanOrEqual(3600);
    });

    it("are ordered from strict to relaxed", () => {
      const { financial, balanced, relaxed } = PolicyPresets;
      expect(secondsOf(financial.maxIdle)).toBeLessThan(secondsOf(balanced.maxIdle));
      expect(secondsOf(balanced.maxIdle)).toBeLessThan(secondsOf(relaxed.maxIdle));
      expect(secondsOf(financial.maxLifetime)).toBeLessThan(secondsOf(balanced.maxLifetime));
      expect(secondsOf(balanced.maxLifetime)).toBeLessThan(secondsOf(relaxed.maxLifetime));
      expect(relaxed.maxSessionsPerIdentity).toBe(UNLIMITED);
    });

    it("are chosen with the preset prop (for jsii languages, which cannot spread), explicit fields winning", () => {
      const stack = newStack();
      new LoginSessionPolicy(stack, "policy", { accounts: "acme", preset: PolicyPreset.FINANCIAL, maxSessionsPerIdentity: 1 });
      new LoginSessionPolicy(stack, "other", { accounts: "other", preset: PolicyPreset.RELAXED, maxIdle: NOT_SET });
      expect(accountSettings(stack)).toEqual({
        acme: { account_id: "acme", session_invalidation_in_seconds: "900", session_expiration_in_seconds: "3600", max_sessions_per_identity: "1" },
        other: { account_id: "other", session_invalidation_in_seconds: "NOT_SET", session_expiration_in_seconds: "86400", max_sessions_per_identity: "NOT_SET" },
      });
    });

    it("refuse an unknown preset by name", () => {
      const stack = newStack();
      new LoginSessionPolicy(stack, "policy", { accounts: "acme", preset: "strict" as never });
      expect(validationErrors(stack)).toEqual([`[stack/policy] preset: must be one of "financial", "balanced", "relaxed", got "strict"`]);
    });

    it("can be overridden field by field", () => {
      const stack = newStack();
      new LoginSessionPolicy(stack, "policy", { accounts: "acme", ...PolicyPresets.financial, maxSessionsPerIdentity: 1 });
      expect(accountSettings(stack).acme).toMatchObject({ session_invalidation_in_seconds: "900", max_sessions_per_identity: "1" });
    });
  });

  describe("validation at synth time", () => {
    /** The errors one policy with these props fails synthesis with, without the `[path] ` prefix. */
    function errorsFor(props: Record<string, unknown>): string[] {
      const stack = newStack();
      new LoginSessionPolicy(stack, "policy", { accounts: "acme", ...props } as never);
      return validationErrors(stack).map((l) => l.replace(/^\[stack\/policy\] /, ""));
    }

    it("does not throw at construction, so that one synth lists every problem", () => {
      const stack = newStack();
      expect(
        () => new LoginSessionPolicy(stack, "policy", { accounts: "acme", maxIdle: Duration.hours(5), maxLifetime: Duration.minutes(1) }),
      ).not.toThrow();
      expect(validationErrors(stack)).toHaveLength(2);
    });

    it("names the field, the setting and the valid range for values out of range", () => {
      expect(errorsFor({ maxIdle: Duration.seconds(SESSION_INVALIDATION.min - 1) })).toEqual([
        `maxIdle (session_invalidation_in_seconds): ${seconds(SESSION_INVALIDATION.min - 1)} is out of range; valid values are ${idleRange}`,
      ]);
      expect(errorsFor({ maxIdle: Duration.hours(3) })).toEqual([
        `maxIdle (session_invalidation_in_seconds): 3 hours (10800 s) is out of range; valid values are ${idleRange}`,
      ]);
      expect(errorsFor({ maxLifetime: Duration.days(2) })).toEqual([
        `maxLifetime (session_expiration_in_seconds): 2 days (172800 s) is out of range; valid values are ${lifetimeRange}`,
      ]);
      expect(errorsFor({ maxLifetime: Duration.minutes(10) })).toEqual([
        `maxLifetime (session_expiration_in_seconds): 10 minutes (600 s) is out of range; valid values are ${lifetimeRange}`,
      ]);
      expect(errorsFor({ maxSessionsPerIdentity: 0 })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): 0 sessions is out of range; valid values are ${sessionsRange}`,
      ]);
      expect(errorsFor({ maxSessionsPerIdentity: MAX_SESSIONS_PER_IDENTITY.max + 1 })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): ${MAX_SESSIONS_PER_IDENTITY.max + 1} sessions is out of range; valid values are ${sessionsRange}`,
      ]);
    });

    it("accepts whole seconds only", () => {
      expect(errorsFor({ maxIdle: Duration.seconds(900.5) })).toEqual([
        `maxIdle (session_invalidation_in_seconds): 900.5 seconds is not a whole number of seconds; valid values are ${idleRange}`,
      ]);
      expect(errorsFor({ maxLifetime: Duration.hours(1.00001) })).toEqual([
        `maxLifetime (session_expiration_in_seconds): ${Duration.hours(1.00001).toSeconds()} seconds is not a whole number of seconds; valid values are ${lifetimeRange}`,
      ]);
      expect(errorsFor({ maxSessionsPerIdentity: 2.5 })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): 2.5 is not a whole number; valid values are ${sessionsRange}`,
      ]);
    });

    it("offers unlimited only where the service default is unlimited", () => {
      expect(errorsFor({ maxIdle: UNLIMITED })).toEqual([
        `maxIdle (session_invalidation_in_seconds): "unlimited" is not available, this setting always has a limit; valid values are ${idleRange}`,
      ]);
      expect(errorsFor({ maxLifetime: UNLIMITED })).toEqual([
        `maxLifetime (session_expiration_in_seconds): "unlimited" is not available, this setting always has a limit; valid values are ${lifetimeRange}`,
      ]);
    });

    it("rejects values of the wrong kind, as plain JavaScript callers may pass them", () => {
      expect(errorsFor({ maxIdle: 1800 })).toEqual([
        `maxIdle (session_invalidation_in_seconds): expected a Duration (Duration.minutes(30), Duration.hours(12), …) or NOT_SET, got number 1800; valid values are ${idleRange}`,
      ]);
      expect(errorsFor({ maxLifetime: "not_set" })).toEqual([
        `maxLifetime (session_expiration_in_seconds): expected a Duration (Duration.minutes(30), Duration.hours(12), …) or NOT_SET, got "not_set"; valid values are ${lifetimeRange}`,
      ]);
      expect(errorsFor({ maxSessionsPerIdentity: "3" })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): expected a number, "unlimited" or NOT_SET, got "3"; valid values are ${sessionsRange}`,
      ]);
      expect(errorsFor({ maxSessionsPerIdentity: Duration.hours(1) })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): expected a number, "unlimited" or NOT_SET, got an object (Duration); valid values are ${sessionsRange}`,
      ]);
      expect(errorsFor({ destroyBehavior: "keep" })).toEqual([`destroyBehavior: must be "reset" or "abandon", got "keep"`]);
      expect(errorsFor({ maxSessionsPerIdentity: Number.NaN })).toEqual([
        `maxSessionsPerIdentity (max_sessions_per_identity): NaN is not a whole number; valid values are ${sessionsRange}`,
      ]);
    });

    it("checks the account ids", () => {
      const stack = newStack();
      new LoginSessionPolicy(stack, "policy", { accounts: ["Acme Prod", "ok", "ok"], maxIdle: Duration.minutes(20) });
      new LoginSessionPolicy(stack, "empty", { accounts: [], maxIdle: Duration.minutes(20) });
      expect(validationErrors(stack)).toEqual([
        `[stack/policy] accounts[0]: account_id must be 1 to 64 characters of lower-case letters, digits, '_' and '-', starting with a letter or digit; got "Acme Prod"`,
        `[stack/policy] accounts[2]: account "ok" is listed more than once`,
        "[stack/empty] accounts: at least one account id is needed",
      ]);
    });

    it("lists every problem of every policy in one synth", () => {
      const stack = newStack();
      new LoginSessionPolicy(stack, "a", { accounts: "a", maxIdle: Duration.hours(3), maxSessionsPerIdentity: 0 });
      new LoginSessionPolicy(stack, "b", { accounts: "b", maxLifetime: Duration.seconds(1.5) });
      const errors = validationErrors(stack);
      expect(errors).toHaveLength(3);
      expect(errors.filter((e) => e.startsWith("[stack/a] "))).toHaveLength(2);
      expect(errors.filter((e) => e.startsWith("[stack/b] "))).toHaveLength(1);
    });
  });

  it("warns, without failing, when the idle time is longer than the lifetime", () => {
    const stack = newStack();
    const policy = new LoginSessionPolicy(stack, "policy", { accounts: "acme", maxIdle: Duration.hours(2), maxLifetime: Duration.hours(1) });
    expect(validationErrors(stack)).toEqual([]);
    const warnings = policy.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
    expect(warnings).toEqual([
      `maxIdle (2 hours (7200 s)) is longer than maxLifetime (1 hour (3600 s)): ${IDLE_BEYOND_LIFETIME.why}`,
    ]);
  });
});
