// What a caller may be told about other tenants in answers that mention them (issue #11). Identity answers are
// redacted in api/effective.ts; here: history entries made by keys of a tenant the caller cannot see (an account's
// former enterprise), whose key id, name and enterprise are replaced by markers.
import type { Context } from "hono";
import { ANOTHER_ACCOUNT, ANOTHER_ENTERPRISE, type HistoryEntry, type OwnerKind } from "../schemas/wire.ts";
import { isPlatformAdmin, roleOnAccount, roleOnEnterprise } from "./auth.ts";
import type { AppEnv } from "./context.ts";
import type { Store } from "./db/store.ts";

export function redactHistory(c: Context<AppEnv>, store: Store, kind: OwnerKind, ownerId: string, history: HistoryEntry[]): HistoryEntry[] {
  const p = c.get("principal");
  if (isPlatformAdmin(p)) return history;
  const current = kind === "account" ? store.directory.enterpriseOf(ownerId) : ownerId;
  return history.map((h) => {
    const by = h.changed_by;
    const hiddenEnterprise = by.enterprise_id !== null && by.enterprise_id !== current && roleOnEnterprise(store, p, by.enterprise_id) === undefined;
    const hiddenAccount = by.account_id !== null && !(kind === "account" && by.account_id === ownerId) && roleOnAccount(store, p, by.account_id) === undefined;
    if (!hiddenEnterprise && !hiddenAccount) return h;
    return {
      ...h,
      changed_by: {
        key_id: hiddenAccount ? ANOTHER_ACCOUNT : ANOTHER_ENTERPRISE,
        iam_id: hiddenAccount ? ANOTHER_ACCOUNT : ANOTHER_ENTERPRISE,
        key_name: hiddenAccount ? ANOTHER_ACCOUNT : ANOTHER_ENTERPRISE,
        account_id: hiddenAccount ? ANOTHER_ACCOUNT : null,
        enterprise_id: hiddenEnterprise ? ANOTHER_ENTERPRISE : null,
      },
    };
  });
}
