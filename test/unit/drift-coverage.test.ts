// The drift check covers every resource type of the provider: the list is the provider's schema, so a new resource
// type that drift/resource-types.ts does not declare fails here (and the check refuses to run), rather than being
// silently reported as "no drift".
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findDrift } from "../../drift/find-drift.ts";
import { COVERAGE, checkedTypes, providerResourceTypes } from "../../drift/resource-types.ts";
import { render, FORMATS, type Report } from "../../drift/report.ts";
import { REPO_ROOT } from "../helpers/api-server.ts";

const schema = JSON.parse(readFileSync(`${REPO_ROOT}/schemas/provider.schema.json`, "utf8"));
const resourceSchemas: Record<string, { block: { attributes: Record<string, { required?: boolean; optional?: boolean }> } }> =
  Object.values<any>(schema.provider_schemas)[0].resource_schemas;

describe("drift coverage", () => {
  it("every resource type of the provider schema is covered, and nothing else", () => {
    expect(Object.keys(resourceSchemas).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(COVERAGE).sort()).toEqual(Object.keys(resourceSchemas).sort());
    expect(providerResourceTypes()).toEqual(Object.keys(resourceSchemas));
    expect(checkedTypes().map((t) => t.type)).toEqual(Object.keys(resourceSchemas));
  });

  it("every attribute a configuration can set is compared, for every type", () => {
    for (const t of checkedTypes()) {
      const settable = Object.entries(resourceSchemas[t.type]!.block.attributes).filter(([, a]) => a.required || a.optional);
      expect(t.attributes.sort()).toEqual(settable.map(([n]) => n).sort());
      expect(t.attributes).toContain(t.coverage.owner.attribute);
      // A change of each such attribute on the server is found.
      for (const attribute of t.attributes) {
        const before = Object.fromEntries(t.attributes.map((a) => [a, "1000"]));
        const d = findDrift({
          resource_drift: [{ address: `${t.type}.x`, type: t.type, mode: "managed", name: "x", change: { actions: ["update"], before, after: { ...before, [attribute]: "2000" } } }],
        });
        expect(d.map((x) => x.attribute), `${t.type}.${attribute}`).toEqual([attribute]);
      }
    }
  });

  it("a resource type of the provider without coverage stops the check instead of being skipped", () => {
    const [type, saved] = Object.entries(COVERAGE)[1]!;
    delete COVERAGE[type];
    try {
      expect(() => checkedTypes()).toThrow(`the drift check does not cover resource type ${type}`);
    } finally {
      COVERAGE[type] = saved;
    }
  });
});

describe("report formats", () => {
  const report: Report = {
    drifted: true,
    failOn: "any",
    generatedAt: "2026-12-01T10:00:00.000Z",
    types: ["iamsession_account_settings", "iamsession_enterprise_settings", "iamsession_trusted_profile"],
    checked: [
      { address: "iamsession_enterprise_settings.acme", type: "iamsession_enterprise_settings" },
      { address: "iamsession_trusted_profile.ops", type: "iamsession_trusted_profile" },
    ],
    items: [
      {
        address: "iamsession_enterprise_settings.acme",
        resourceType: "iamsession_enterprise_settings",
        owner: { kind: "enterprise", id: "ent" },
        change: "update",
        attribute: "max_sessions_per_identity",
        inCode: "3",
        lastApplied: "3",
        onServer: "9",
        loosened: true,
        managed: true,
        counts: true,
        changedBy: { author: { keyId: "ApiKey-1", keyName: "ops, 50% <sure>", accountId: null, enterpriseId: "ent", at: "2026-12-01T09:00:00.000Z" } },
      },
      {
        address: "iamsession_trusted_profile.ops",
        resourceType: "iamsession_trusted_profile",
        owner: { kind: "account", id: "acme" },
        change: "update",
        attribute: "name",
        inCode: null,
        lastApplied: "ops",
        onServer: "ops\nnew",
        loosened: false,
        managed: false,
        counts: false,
        changedBy: { unknown: "the API keeps no change history for trusted profiles" },
      },
    ],
  };

  it("has the four documented formats", () => expect([...FORMATS]).toEqual(["text", "json", "junit", "github"]));

  it("json: version, timestamp, summary, what was checked", () => {
    const j = JSON.parse(render(report, "json"));
    expect(j).toMatchObject({
      version: 1,
      generated_at: "2026-12-01T10:00:00.000Z",
      drifted: true,
      summary: { resources_checked: 2, resource_types: report.types, changes: 2, counted: 1 },
      checked: report.checked,
    });
    expect(j.changes[0].changed_by).toEqual({ key_id: "ApiKey-1", key_name: "ops, 50% <sure>", account_id: null, enterprise_id: "ent", changed_at: "2026-12-01T09:00:00.000Z" });
    expect(j.changes[1]).toMatchObject({ changed_by: null, changed_by_unknown: "the API keeps no change history for trusted profiles" });
  });

  it("text says what it checked", () => {
    const t = render(report, "text");
    expect(t).toContain("Checked 2 resource(s) of the provider's 3 resource types (iamsession_account_settings ×0, iamsession_enterprise_settings ×1, iamsession_trusted_profile ×1).");
    expect(t).toContain("iamsession_enterprise_settings.acme.max_sessions_per_identity");
    expect(t).toContain("    enterprise:      ent");
    expect(t).toContain("changed by:      unknown (the API keeps no change history for trusted profiles)");
  });

  it("junit: a test case per checked resource, a failure per change that counts, escaped", () => {
    const x = render(report, "junit");
    expect(x).toContain('<testsuite name="iamsession-drift" tests="2" failures="1"');
    expect(x).toContain('<testcase classname="iamsession_enterprise_settings" name="iamsession_enterprise_settings.acme">');
    expect(x).toMatch(/<failure type="drift" message="iamsession_enterprise_settings\.acme\.max_sessions_per_identity changed outside Terraform[^"]*ops, 50% &lt;sure&gt;/);
    expect(x.match(/<failure /g)).toHaveLength(1);
    expect(x).toContain("<system-out>not counted: iamsession_trusted_profile.ops.name");
  });

  it("github: one annotation per change (error when it counts), escaped as workflow commands", () => {
    const lines = render(report, "github").split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^::error title=iamsession drift%3A iamsession_enterprise_settings\.acme::.*ops, 50%25 <sure>/);
    expect(lines[1]).toMatch(/^::warning title=[^:]+::iamsession_trusted_profile\.ops\.name .*"ops\\nnew"/);
    expect(lines[2]).toMatch(/^::notice title=iamsession drift::Drift: 1 change\(s\) that count/);
  });
});
