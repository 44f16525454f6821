// Words for "who changed it and when", from the latest entry of the API's history.
import { escapeText } from "../../schemas/text.ts";
import type { HistoryEntry } from "../../client/index.ts";

export function describeLatestChange(last: HistoryEntry | undefined): string {
  if (!last) return "someone else";
  const by = last.changed_by;
  // Stored text, escaped: a key name must not be able to forge lines of a diagnostic.
  const key = by.key_name ? `${by.key_id} (${by.key_name})` : by.key_id;
  const owner = by.account_id
    ? ` of account ${by.account_id}`
    : by.enterprise_id
      ? ` of enterprise ${by.enterprise_id}`
      : " (platform administrator)";
  return escapeText(`${key}${owner} at ${last.changed_at}`);
}
