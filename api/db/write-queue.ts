// Every write of the API goes through this queue, for two reasons:
//
// 1. The event loop never waits on SQLite's write lock. The connection's busy_timeout is 0: when another connection
//    (a second API process, `npm run admin`, a backup) holds the lock, BEGIN IMMEDIATE fails at once and the queue
//    tries again on a timer, with backoff, while reads and /health keep being served. A write that cannot get the
//    lock within its budget is refused with WriteBusyError (the API answers 503 with Retry-After), never left hanging.
// 2. Group commit. The writes queued during one turn of the event loop run in ONE transaction, each inside its own
//    savepoint (so one failing write rolls back only itself), and share one COMMIT: one fsync for all of them, still
//    with synchronous=FULL. Nobody is told "done" before that COMMIT returned, so every acknowledged write is durable.
//
// A write is a synchronous function over the store's prepared statements; it must not await (the transaction is
// open only while it runs).
import type Database from "better-sqlite3";

/** The write lock could not be had within the write's budget; nothing was written. */
export class WriteBusyError extends Error {
  constructor(readonly waitedMs: number) {
    super(`the database is locked by another connection; gave up after ${Math.round(waitedMs)} ms`);
    this.name = "WriteBusyError";
  }
}

export interface WriteQueueOptions {
  /** How long a write may wait for the lock before it is refused (default 2000 ms). */
  budgetMs?: number;
  /** At most this many writes share one commit (default 256). */
  maxBatch?: number;
}

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  queuedAt: number;
}

export const DEFAULT_WRITE_BUDGET_MS = 2000;
const FIRST_RETRY_MS = 2;
const MAX_RETRY_MS = 50;

/** True for SQLite's "locked by another connection" errors (SQLITE_BUSY and its extended codes). */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_") || code === "SQLITE_LOCKED");
}

export class WriteQueue {
  readonly #db: Database.Database;
  readonly #budgetMs: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #immediate: ReturnType<typeof setImmediate> | undefined;
  #retryMs = 0;
  /** Commits so far and the writes they carried (for the benchmark and the tests). */
  readonly stats = { commits: 0, writes: 0, busyRetries: 0, refused: 0 };

  constructor(db: Database.Database, options: WriteQueueOptions = {}) {
    this.#db = db;
    this.#budgetMs = options.budgetMs ?? DEFAULT_WRITE_BUDGET_MS;
    this.#maxBatch = options.maxBatch ?? 256;
  }

  get budgetMs(): number {
    return this.#budgetMs;
  }

  /** Queues a write; resolves with its result once the commit that carries it is durable. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run: write, resolve: resolve as (v: unknown) => void, reject, queuedAt: performance.now() });
      // Waiting for the lock: the retry timer is already set, and will take this write along.
      if (this.#timer === undefined && this.#immediate === undefined) {
        // setImmediate: everything queued in this turn of the event loop joins the same commit.
        this.#immediate = setImmediate(() => {
          this.#immediate = undefined;
          this.#flush();
        });
      }
    });
  }

  #flush(): void {
    this.#refuseExpired();
    if (this.#queue.length === 0) {
      this.#retryMs = 0;
      return;
    }
    try {
      this.#db.exec("BEGIN IMMEDIATE");
    } catch (err) {
      if (isBusyError(err)) {
        this.stats.busyRetries++;
        this.#retryMs = Math.min(MAX_RETRY_MS, this.#retryMs === 0 ? FIRST_RETRY_MS : this.#retryMs * 2);
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#flush();
        }, this.#retryMs);
        return;
      }
      for (const p of this.#queue.splice(0)) p.reject(err);
      return;
    }
    this.#retryMs = 0;
    const batch = this.#queue.splice(0, this.#maxBatch);
    const outcomes = batch.map((p) => {
      try {
        // Nested in the open transaction, db.transaction() is a savepoint: a write that throws undoes only itself.
        return { ok: true as const, value: this.#db.transaction(p.run)() };
      } catch (err) {
        return { ok: false as const, err };
      }
    });
    try {
      this.#db.exec("COMMIT");
    } catch (err) {
      if (this.#db.inTransaction) this.#db.exec("ROLLBACK");
      for (const p of batch) p.reject(err);
      this.#next();
      return;
    }
    this.stats.commits++;
    this.stats.writes += batch.length;
    batch.forEach((p, i) => {
      const o = outcomes[i]!;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.err);
    });
    this.#next();
  }

  #next(): void {
    if (this.#queue.length > 0 && this.#immediate === undefined && this.#timer === undefined) {
      this.#immediate = setImmediate(() => {
        this.#immediate = undefined;
        this.#flush();
      });
    }
  }

  #refuseExpired(): void {
    const now = performance.now();
    const keep: Pending[] = [];
    for (const p of this.#queue) {
      const waited = now - p.queuedAt;
      if (waited >= this.#budgetMs) {
        this.stats.refused++;
        p.reject(new WriteBusyError(waited));
      } else keep.push(p);
    }
    this.#queue = keep;
  }

  /** Refuses whatever is still queued (at shutdown). */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#timer = this.#immediate = undefined;
    for (const p of this.#queue.splice(0)) p.reject(new WriteBusyError(performance.now() - p.queuedAt));
  }
}
