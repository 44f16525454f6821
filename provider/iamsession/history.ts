// Words for "who changed it and when", from the API's history.
import type { AccountSettings } from "./client.ts";

export function describeLatestChange(s: AccountSettings): string {
  const last = s.history?.at(-1);
  if (!last) return "someone else";
  const key = last.changed_by.key_name ? `${last.changed_by.iam_id} (${last.changed_by.key_name})` : last.changed_by.iam_id;
  const account = last.changed_by.account_id ? ` of account ${last.changed_by.account_id}` : " (platform administrator)";
  return `${key}${account} at ${last.changed_at}`;
}
