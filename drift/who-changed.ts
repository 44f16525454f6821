// Who changed a setting, and when, from the API's history of the account's settings.
import type { HistoryEntry, IamsessionClient } from "../client/index.ts";
import type { DriftedSetting } from "./find-drift.ts";

export interface ChangeAuthor {
  /** The id of the API key that made the change. */
  keyId: string;
  keyName: string | null;
  /** The key's account; null for enterprise keys and the platform administrator. */
  accountId: string | null;
  /** The key's enterprise; null for account keys and the platform administrator. */
  enterpriseId: string | null;
  at: string;
}

/** The newest history entry that set the attribute to the value the server has now. */
export function authorOf(history: HistoryEntry[], drift: DriftedSetting): ChangeAuthor | null {
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.old[drift.attribute] !== h.new[drift.attribute] && h.new[drift.attribute] === drift.onServer) {
      return {
        keyId: h.changed_by.key_id,
        keyName: h.changed_by.key_name ?? null,
        accountId: h.changed_by.account_id,
        enterpriseId: h.changed_by.enterprise_id ?? null,
        at: h.changed_at,
      };
    }
  }
  return null;
}

/** Fetches each drifted account's history once. */
export async function historiesFor(
  client: IamsessionClient,
  drifts: DriftedSetting[],
): Promise<Map<string, HistoryEntry[]>> {
  const out = new Map<string, HistoryEntry[]>();
  for (const accountId of new Set(drifts.map((d) => d.accountId))) {
    const s = await client.getAccountSettings(accountId, true);
    out.set(accountId, s.history ?? []);
  }
  return out;
}
