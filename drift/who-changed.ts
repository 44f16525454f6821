// Who changed a setting, and when, from the API's history of the owner's settings (for the resource types whose
// COVERAGE says there is one).
import type { HistoryEntry, IamsessionClient } from "../client/index.ts";
import type { DriftedSetting } from "./find-drift.ts";
import { COVERAGE } from "./resource-types.ts";

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

/** Who changed it, or why that is not known. */
export type Authorship = { author: ChangeAuthor } | { unknown: string };

/** The newest history entry that set the attribute to the value the server has now. */
export function authorOf(history: HistoryEntry[], drift: DriftedSetting): ChangeAuthor | null {
  const attribute = drift.attribute as keyof HistoryEntry["new"] | null;
  if (attribute === null) return null;
  for (let i = history.length - 1; i >= 0; i--) {
    const h = history[i]!;
    if (h.old[attribute] !== h.new[attribute] && h.new[attribute] === drift.onServer) {
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

/** Each drifted item's author: each owner's history is read once; an unreadable history is said, not fatal. */
export async function authorsFor(client: IamsessionClient, drifts: DriftedSetting[]): Promise<Authorship[]> {
  const histories = new Map<string, Promise<HistoryEntry[] | Error>>();
  const historyOf = (d: DriftedSetting) => {
    const key = `${d.owner.kind}/${d.owner.id}`;
    let h = histories.get(key);
    if (!h) {
      h = client.getSettings(d.owner.kind, d.owner.id, true).then(
        (s) => s.history ?? [],
        (err: Error) => err,
      );
      histories.set(key, h);
    }
    return h;
  };
  const out: Authorship[] = [];
  for (const d of drifts) {
    const coverage = COVERAGE[d.resourceType]!;
    if (d.change === "delete") {
      out.push({ unknown: "the resource was deleted on the server; the API keeps no record of who deleted it" });
    } else if (coverage.history.from === "none") {
      out.push({ unknown: coverage.history.reason });
    } else {
      const history = await historyOf(d);
      if (history instanceof Error) {
        out.push({ unknown: `the ${d.owner.kind}'s history could not be read: ${history.message}` });
      } else {
        const author = authorOf(history, d);
        out.push(author ? { author } : { unknown: "no history entry set this value" });
      }
    }
  }
  return out;
}
