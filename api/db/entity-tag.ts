// Entity tags: opaque, change with every version; derived from the owner, a per-row random salt and the version.
import { hash } from "node:crypto";

export function entityTagOf(row: { owner_kind: string; owner_id: string; etag_salt: string; version: number }): string {
  return hash("sha256", `${row.owner_kind}\u0000${row.owner_id}\u0000${row.etag_salt}\u0000${row.version}`, "hex").slice(0, 32);
}
