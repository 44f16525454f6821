// Words for "who changed it and when", from the API's history.
import type { OwnerSettings } from "./client.ts";

export function describeLatestChange(s: OwnerSettings): string {
  const last = s.history?.at(-1);
  if (!last) return "someone else";
  const key = last.changed_by.key_name ? `${last.changed_by.iam_id} (${last.changed_by.key_name})` : last.changed_by.iam_id;
  const by = last.changed_by;
  const account = by.account_id
    ? ` of account ${by.account_id}`
    : by.enterprise_id
      ? ` of enterprise ${by.enterprise_id}`
      : // Keys bound to no single account: the platform administrator's, or an enterprise's when the API does not
        // say which enterprise.
        " (a platform administrator or enterprise key)";
  return `${key}${account} at ${last.changed_at}`;
}
