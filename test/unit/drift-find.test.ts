import { describe, expect, it } from "vitest";
import { findDrift, isLooser } from "../../drift/find-drift.ts";

type Expressions = Record<string, { constant_value?: unknown; references?: string[] }>;

const settings = (e: string, i: string, m: string) => ({
  session_expiration_in_seconds: e,
  session_invalidation_in_seconds: i,
  max_sessions_per_identity: m,
});

function plan(before: object, after: object, expressions: Expressions) {
  return {
    resource_drift: [
      {
        address: "iamsession_account_settings.prod",
        type: "iamsession_account_settings",
        mode: "managed",
        name: "prod",
        change: { actions: ["update"], before: { account_id: "acme", ...before }, after: { account_id: "acme", ...after } },
      },
    ],
    configuration: { root_module: { resources: [{ address: "iamsession_account_settings.prod", expressions }] } },
  };
}

describe("findDrift", () => {
  it("reports each changed setting with the value in code and on the server", () => {
    const p = plan(settings("3600", "900", "NOT_SET"), settings("3600", "1800", "4"), {
      account_id: { constant_value: "acme" },
      session_invalidation_in_seconds: { constant_value: "900" },
    });
    const d = findDrift(p);
    expect(d).toHaveLength(2);
    expect(d[0]).toMatchObject({
      attribute: "session_invalidation_in_seconds",
      inCode: "900",
      onServer: "1800",
      managed: true,
      loosened: true,
      accountId: "acme",
    });
    // Not in the configuration: reported, but not managed.
    expect(d[1]).toMatchObject({ attribute: "max_sessions_per_identity", managed: false, inCode: null, onServer: "4" });
  });

  it("treats a value from an expression as what was last applied", () => {
    const p = plan(settings("3600", "900", "1"), settings("1800", "900", "1"), {
      session_expiration_in_seconds: { references: ["var.lifetime"] },
    });
    expect(findDrift(p)[0]).toMatchObject({ inCode: "3600", lastApplied: "3600", onServer: "1800", loosened: false });
  });

  it("ignores other resource types and data sources", () => {
    const p = plan(settings("1", "1", "1"), settings("2", "2", "2"), {});
    p.resource_drift[0]!.type = "other_thing";
    expect(findDrift(p)).toEqual([]);
  });
});

describe("isLooser", () => {
  it("compares effective limits: NOT_SET is the default, unlimited is loosest", () => {
    expect(isLooser("session_invalidation_in_seconds", "NOT_SET", "900")).toBe(true);
    expect(isLooser("session_invalidation_in_seconds", "900", "NOT_SET")).toBe(false);
    expect(isLooser("max_sessions_per_identity", "NOT_SET", "2147483647")).toBe(true);
    expect(isLooser("session_expiration_in_seconds", "3600", "3600")).toBe(false);
  });
});
