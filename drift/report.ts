// The drift report in four formats: text (people), json (machines; versioned), junit (CI test reports), github
// (GitHub Actions workflow commands: one annotation per change).
import type { CheckedResource, DriftedSetting } from "./find-drift.ts";
import type { Authorship, ChangeAuthor } from "./who-changed.ts";
import { escapeText } from "../schemas/text.ts";

/** The JSON report's format version: bumped when a field changes meaning or goes away (adding one does not). */
export const REPORT_VERSION = 1;

export const FORMATS = ["text", "json", "junit", "github"] as const;
export type Format = (typeof FORMATS)[number];

export type ReportItem = DriftedSetting & {
  changedBy: Authorship | null;
  /** Counts toward the exit code under the chosen --fail-on. */
  counts: boolean;
};

export interface Report {
  drifted: boolean;
  failOn: string;
  /** When the check ran (ISO 8601). */
  generatedAt: string;
  /** Every resource type the check covers (the provider's resource types). */
  types: string[];
  /** The resources it looked at. */
  checked: CheckedResource[];
  items: ReportItem[];
}

export function render(report: Report, format: Format): string {
  switch (format) {
    case "json":
      return toJson(report);
    case "junit":
      return toJunit(report);
    case "github":
      return toGithub(report);
    default:
      return toText(report);
  }
}

function summary(report: Report) {
  return {
    resources_checked: report.checked.length,
    resource_types: report.types,
    changes: report.items.length,
    counted: report.items.filter((i) => i.counts).length,
  };
}

export function toJson(report: Report): string {
  return JSON.stringify(
    {
      version: REPORT_VERSION,
      generated_at: report.generatedAt,
      drifted: report.drifted,
      fail_on: report.failOn,
      summary: summary(report),
      checked: report.checked,
      changes: report.items.map((i) => ({
        address: i.address,
        resource_type: i.resourceType,
        owner: i.owner,
        change: i.change,
        attribute: i.attribute,
        value_in_code: i.inCode,
        last_applied: i.lastApplied,
        value_on_server: i.onServer,
        managed_in_code: i.managed,
        loosened: i.loosened,
        counts: i.counts,
        changed_by: i.changedBy && "author" in i.changedBy ? authorJson(i.changedBy.author) : null,
        changed_by_unknown: i.changedBy && "unknown" in i.changedBy ? i.changedBy.unknown : null,
      })),
    },
    null,
    2,
  );
}

function authorJson(a: ChangeAuthor) {
  return { key_id: a.keyId, key_name: a.keyName, account_id: a.accountId, enterprise_id: a.enterpriseId, changed_at: a.at };
}

/** What was looked at, in one line: "3 resources (iamsession_account_settings ×1, …)". */
function checkedLine(report: Report): string {
  const counts = new Map<string, number>();
  for (const r of report.checked) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const parts = report.types.map((t) => `${t} ×${counts.get(t) ?? 0}`);
  return `Checked ${report.checked.length} resource(s) of the provider's ${report.types.length} resource types (${parts.join(", ")}).`;
}

export function toText(report: Report): string {
  const lines: string[] = [];
  const counted = report.items.filter((i) => i.counts).length;
  if (report.items.length === 0) {
    lines.push(
      report.checked.length === 0
        ? "No iamsession resources in this state: nothing to compare."
        : "No drift: every checked iamsession resource on the server matches what Terraform last applied.",
    );
  } else {
    lines.push(
      report.drifted
        ? `Drift: ${counted} change(s) made outside Terraform (counting: ${report.failOn}).`
        : `No drift that counts (--fail-on ${report.failOn}); ${report.items.length} change(s) found outside Terraform:`,
    );
  }
  lines.push(checkedLine(report));
  for (const i of report.items) {
    lines.push("");
    lines.push(`  ${title(i)}${i.counts ? "" : "  (not counted)"}`);
    lines.push(`    ${`${i.owner.kind}:`.padEnd(17)}${escapeText(i.owner.id)}`);
    if (i.change === "delete") {
      lines.push("    on server:       (deleted; `apply` creates it again)");
    } else {
      lines.push(`    value in code:   ${i.managed ? show(i.inCode) : "(not set in code: the server's value is left as it is)"}`);
      lines.push(`    value on server: ${show(i.onServer)}${i.loosened ? "  (looser)" : ""}`);
    }
    lines.push(`    changed by:      ${byLine(i)}`);
  }
  return lines.join("\n");
}

function title(i: ReportItem): string {
  return escapeText(i.change === "delete" ? `${i.address}  (deleted on the server)` : `${i.address}.${i.attribute}`);
}

function byLine(i: ReportItem): string {
  if (!i.changedBy) return "unknown";
  if ("unknown" in i.changedBy) return `unknown (${escapeText(i.changedBy.unknown)})`;
  const a = i.changedBy.author;
  return `${escapeText(a.keyId)}${a.keyName ? ` (${escapeText(a.keyName)})` : ""}${ownerOf(a)} at ${escapeText(a.at)}`;
}

function message(i: ReportItem): string {
  if (i.change === "delete") return `${escapeText(i.address)} was deleted on the server (${i.owner.kind} ${escapeText(i.owner.id)}); changed by: ${byLine(i)}`;
  const code = i.managed ? `value in code ${show(i.inCode)}` : "not set in code";
  return `${title(i)} changed outside Terraform: ${code}, on the server ${show(i.onServer)}${i.loosened ? " (looser)" : ""}; changed by: ${byLine(i)}`;
}

/** JUnit XML: one test case per checked resource, failing with one <failure> per change that counts. */
export function toJunit(report: Report): string {
  const failing = new Set(report.items.filter((i) => i.counts).map((i) => i.address));
  const out = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="iamsession-drift" tests="${report.checked.length}" failures="${failing.size}">`,
    `  <testsuite name="iamsession-drift" tests="${report.checked.length}" failures="${failing.size}" errors="0" timestamp="${report.generatedAt}">`,
    `    <properties><property name="fail_on" value="${xml(report.failOn)}"/><property name="resource_types" value="${xml(report.types.join(","))}"/></properties>`,
  ];
  for (const r of report.checked) {
    const items = report.items.filter((i) => i.address === r.address);
    out.push(`    <testcase classname="${xml(r.type)}" name="${xml(escapeText(r.address))}">`);
    for (const i of items.filter((x) => x.counts)) {
      out.push(`      <failure type="drift" message="${xml(message(i))}">${xml(message(i))}</failure>`);
    }
    const notCounted = items.filter((x) => !x.counts);
    if (notCounted.length) out.push(`      <system-out>${xml(notCounted.map((i) => `not counted: ${message(i)}`).join("\n"))}</system-out>`);
    out.push(`    </testcase>`);
  }
  out.push(`  </testsuite>`, `</testsuites>`);
  return out.join("\n");
}

/** GitHub Actions workflow commands: an error per change that counts, a warning per other change, a notice summary. */
export function toGithub(report: Report): string {
  const out: string[] = [];
  for (const i of report.items) {
    const level = i.counts ? "error" : "warning";
    out.push(`::${level} title=${ghProperty(`iamsession drift: ${escapeText(i.address)}`)}::${ghData(message(i))}`);
  }
  const s = summary(report);
  const head = report.drifted ? `Drift: ${s.counted} change(s) that count (--fail-on ${report.failOn})` : `No drift that counts (--fail-on ${report.failOn})`;
  out.push(`::notice title=iamsession drift::${ghData(`${head}. ${checkedLine(report)}`)}`);
  return out.join("\n");
}

// https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts: escaping of data and properties.
function ghData(s: string): string {
  return s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

function ghProperty(s: string): string {
  return ghData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

function xml(s: string): string {
  return s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

function ownerOf(by: ChangeAuthor): string {
  if (by.accountId) return ` of account ${escapeText(by.accountId)}`;
  if (by.enterpriseId) return ` of enterprise ${escapeText(by.enterpriseId)}`;
  return " (platform administrator)";
}

function show(v: string | null): string {
  return v === null ? "(null)" : escapeText(JSON.stringify(v));
}
