// Opens the SQLite database the way the API needs it: WAL, synchronous=FULL, foreign keys, a busy timeout, migrations
// applied.
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { applyMigrations } from "./migrations.ts";
import { assertSupportedNode } from "./node-runtime.ts";

export interface OpenOptions {
  /**
   * How long a statement waits for another connection's lock (default 5000 ms, for start-up and the admin CLI).
   * The server sets 0 once it serves: its writes wait in the WriteQueue, off the event loop, instead.
   */
  busyTimeoutMs?: number;
}

export function openDatabase(path: string, options: OpenOptions = {}): Database.Database {
  assertSupportedNode();
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // Only key hashes are stored, but the file is still nobody else's business (-wal/-shm inherit the mode).
    if (path !== ":memory:") chmodSync(path, 0o600);
    db.pragma("journal_mode = WAL");
    // FULL: a write the API acknowledged survives even a power loss, not only a crash of the process.
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    applyMigrations(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
