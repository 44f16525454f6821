// The drift report, for people (text) and for machines (JSON).
import type { DriftedSetting } from "./find-drift.ts";
import type { ChangeAuthor } from "./who-changed.ts";
import { escapeText } from "../schemas/text.ts";

export interface ReportItem extends DriftedSetting {
  changedBy: ChangeAuthor | null;
  /** Counts toward the exit code under the chosen --fail-on. */
  counts: boolean;
}

export interface Report {
  drifted: boolean;
  failOn: string;
  items: ReportItem[];
}

export function toJson(report: Report): string {
  return JSON.stringify(
    {
      drifted: report.drifted,
      fail_on: report.failOn,
      changes: report.items.map((i) => ({
        address: i.address,
        account_id: i.accountId,
        attribute: i.attribute,
        value_in_code: i.inCode,
        last_applied: i.lastApplied,
        value_on_server: i.onServer,
        managed_in_code: i.managed,
        loosened: i.loosened,
        counts: i.counts,
        changed_by: i.changedBy && {
          iam_id: i.changedBy.keyId,
          key_name: i.changedBy.keyName,
          account_id: i.changedBy.accountId,
          enterprise_id: i.changedBy.enterpriseId,
          changed_at: i.changedBy.at,
        },
      })),
    },
    null,
    2,
  );
}

/**
 * The report for people. Everything that comes from the server or the state (addresses, ids, key names, values) is
 * escaped: a hostile key name must not be able to print "No drift" on a line of its own.
 */
export function toText(report: Report): string {
  if (report.items.length === 0) return "No drift: every iamsession setting on the server matches what Terraform last applied.";
  const lines: string[] = [];
  const counted = report.items.filter((i) => i.counts).length;
  lines.push(
    report.drifted
      ? `Drift: ${counted} setting(s) changed outside Terraform (counting: ${report.failOn}).`
      : `No drift that counts (--fail-on ${report.failOn}); ${report.items.length} change(s) found outside Terraform:`,
  );
  for (const i of report.items) {
    lines.push("");
    lines.push(`  ${escapeText(`${i.address}.${i.attribute}`)}${i.counts ? "" : "  (not counted)"}`);
    lines.push(`    account:         ${escapeText(i.accountId)}`);
    lines.push(`    value in code:   ${i.managed ? show(i.inCode) : "(not set in code: the server's value is left as it is)"}`);
    lines.push(`    value on server: ${show(i.onServer)}${i.loosened ? "  (looser)" : ""}`);
    lines.push(
      `    changed by:      ${
        i.changedBy
          ? `${escapeText(i.changedBy.keyId)}${i.changedBy.keyName ? ` (${escapeText(i.changedBy.keyName)})` : ""}` +
            `${ownerOf(i.changedBy)} at ${escapeText(i.changedBy.at)}`
          : "unknown (no matching history entry)"
      }`,
    );
  }
  return lines.join("\n");
}

function ownerOf(by: ChangeAuthor): string {
  if (by.accountId) return ` of account ${escapeText(by.accountId)}`;
  if (by.enterpriseId) return ` of enterprise ${escapeText(by.enterpriseId)}`;
  return " (platform administrator)";
}

function show(v: string | null): string {
  return v === null ? "(null)" : escapeText(JSON.stringify(v));
}
