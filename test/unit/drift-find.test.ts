import { describe, expect, it } from "vitest";
import { findDrift, isLooser, type PlanJson } from "../../drift/find-drift.ts";

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
    const by = (a: string) => d.find((x) => x.attribute === a);
    expect(by("session_invalidation_in_seconds")).toMatchObject({
      attribute: "session_invalidation_in_seconds",
      inCode: "900",
      onServer: "1800",
      managed: true,
      loosened: true,
      owner: { kind: "account", id: "acme" },
      change: "update",
    });
    // Not in the configuration: reported, but not managed.
    expect(by("max_sessions_per_identity")).toMatchObject({ attribute: "max_sessions_per_identity", managed: false, inCode: null, onServer: "4" });
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

  it("covers enterprise settings and trusted profiles, and a profile deleted on the server", () => {
    const p: PlanJson = {
      resource_drift: [
        {
          address: "iamsession_enterprise_settings.acme",
          type: "iamsession_enterprise_settings",
          mode: "managed",
          name: "acme",
          change: { actions: ["update"], before: { enterprise_id: "ent", ...settings("3600", "900", "3") }, after: { enterprise_id: "ent", ...settings("3600", "900", "9") } },
        },
        {
          address: "iamsession_trusted_profile.ops",
          type: "iamsession_trusted_profile",
          mode: "managed",
          name: "ops",
          change: {
            actions: ["update"],
            before: { account_id: "acme", name: "ops", session_duration_in_seconds: "3600", entity_tag: "a" },
            after: { account_id: "acme", name: "renamed", session_duration_in_seconds: "43200", entity_tag: "b" },
          },
        },
        {
          address: "iamsession_trusted_profile.gone",
          type: "iamsession_trusted_profile",
          mode: "managed",
          name: "gone",
          change: { actions: ["delete"], before: { account_id: "acme", name: "gone" }, after: null },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            { address: "iamsession_enterprise_settings.acme", expressions: { max_sessions_per_identity: { constant_value: "3" } } },
            { address: "iamsession_trusted_profile.ops", expressions: { name: { constant_value: "ops" }, session_duration_in_seconds: { constant_value: "3600" } } },
            { address: "iamsession_trusted_profile.gone", expressions: { name: { constant_value: "gone" } } },
          ],
        },
      },
    };
    expect(findDrift(p)).toEqual([
      expect.objectContaining({ address: "iamsession_enterprise_settings.acme", owner: { kind: "enterprise", id: "ent" }, attribute: "max_sessions_per_identity", inCode: "3", onServer: "9", loosened: true, managed: true }),
      expect.objectContaining({ address: "iamsession_trusted_profile.ops", owner: { kind: "account", id: "acme" }, attribute: "name", inCode: "ops", onServer: "renamed", loosened: false }),
      expect.objectContaining({ address: "iamsession_trusted_profile.ops", attribute: "session_duration_in_seconds", inCode: "3600", onServer: "43200", loosened: true }),
      expect.objectContaining({ address: "iamsession_trusted_profile.gone", change: "delete", attribute: null, onServer: null, managed: true }),
    ]);
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
