// Idempotency-Key records (issue #12): for each (calling API key, Idempotency-Key), the fingerprint of the request
// and the outcome of the write it made, JSON. The record is inserted in the same savepoint as the write itself (see
// writer.ts), so a write and its record are committed together or not at all: a crash can never leave a write
// that a retry would repeat.
import type Database from "better-sqlite3";

/** How long a key is remembered; after that the same key is a new request. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface IdempotencyRecord {
  fingerprint: string;
  /** The write's result, JSON (what the route renders its answer from). */
  outcome: string;
  createdAt: number;
}

export interface IdempotencyScope {
  callerKeyId: string;
  key: string;
  fingerprint: string;
}

export class IdempotencyStore {
  readonly #stmts;

  constructor(db: Database.Database) {
    this.#stmts = {
      get: db.prepare<[string, string, number], { fingerprint: string; outcome: string; created_at: number }>(
        `SELECT fingerprint, outcome, created_at FROM idempotency_keys
          WHERE caller_key_id = ? AND idempotency_key = ? AND created_at > ?`,
      ),
      put: db.prepare<[string, string, string, string, number]>(
        `INSERT INTO idempotency_keys (caller_key_id, idempotency_key, fingerprint, outcome, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (caller_key_id, idempotency_key) DO UPDATE
           SET fingerprint = excluded.fingerprint, outcome = excluded.outcome, created_at = excluded.created_at`,
      ),
      purge: db.prepare<[number]>("DELETE FROM idempotency_keys WHERE created_at <= ?"),
    };
  }

  /** The live (younger than 24 h) record of this caller's key, if any. */
  get(callerKeyId: string, key: string, now = Date.now()): IdempotencyRecord | undefined {
    const row = this.#stmts.get.get(callerKeyId, key, now - IDEMPOTENCY_TTL_MS);
    return row ? { fingerprint: row.fingerprint, outcome: row.outcome, createdAt: row.created_at } : undefined;
  }

  /** Records a write's outcome (replacing an expired record of the same key). Call inside the write's transaction. */
  put(scope: IdempotencyScope, outcome: unknown, now = Date.now()): void {
    this.#stmts.put.run(scope.callerKeyId, scope.key, scope.fingerprint, JSON.stringify(outcome ?? null), now);
  }

  /** Removes expired records; returns how many. */
  purge(now = Date.now()): number {
    return this.#stmts.purge.run(now - IDEMPOTENCY_TTL_MS).changes;
  }
}
