// How the API writes: a store method, named by its path ("updateSettings", "profiles.create", …), runs on the writer
// (see write-queue.ts for the group commit and the lock budget). The server's writer is a thread with its own
// connection (writer-thread.ts), so neither a held lock nor an fsync ever stalls the event loop; the admin CLI and
// scripts use the in-process writer, same code, same semantics.
//
// With an Idempotency-Key, the write first looks for the key's record in its own savepoint: found, the recorded
// outcome comes back instead (nothing is written again); not found, the write runs and its outcome is recorded in
// the same savepoint, so both commit together.
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import type { IdempotencyRecord, IdempotencyScope } from "./idempotency.ts";
import type { Store } from "./store.ts";
import { WriteBusyError, WriteQueue, type WriteQueueOptions } from "./write-queue.ts";

/** What a write with an Idempotency-Key gives back: its own result, or the record of an earlier one. */
export type IdempotentResult<T> = { replayed: false; value: T } | { replayed: true; record: IdempotencyRecord };

export interface WriteRequest {
  path: string[];
  args: unknown[];
  idempotency?: IdempotencyScope;
  /** false: refused at once when another connection holds the lock (default: waits within the writer's budget). */
  waitForLock?: boolean;
}

export interface Writer {
  call(request: WriteRequest): Promise<unknown>;
  close(): Promise<void>;
}

/** Runs one write request against a store (inside the writer's transaction). Shared by both writers. */
export function execute(store: Store, request: WriteRequest): unknown {
  const run = () => {
    let target: any = store;
    for (const name of request.path.slice(0, -1)) target = target[name];
    const method = target?.[request.path.at(-1)!];
    if (typeof method !== "function") throw new Error(`no store method ${request.path.join(".")}`);
    return method.apply(target, request.args.map(revive));
  };
  const scope = request.idempotency;
  if (!scope) return run();
  const earlier = store.idempotency.get(scope.callerKeyId, scope.key);
  if (earlier) return { replayed: true, record: earlier } satisfies IdempotentResult<unknown>;
  const value = run();
  store.idempotency.put(scope, value);
  return { replayed: false, value } satisfies IdempotentResult<unknown>;
}

/**
 * Buffers arrive from another thread as plain Uint8Arrays; SQLite binds only Buffers as blobs. Objects are copied
 * only when they hold one: most writes carry none, and copying every argument of every write was work for nothing.
 */
function revive(arg: unknown): unknown {
  if (arg instanceof Uint8Array && !Buffer.isBuffer(arg)) return Buffer.from(arg.buffer, arg.byteOffset, arg.byteLength);
  if (arg && typeof arg === "object" && !Array.isArray(arg) && !Buffer.isBuffer(arg)) {
    let copy: Record<string, unknown> | undefined;
    for (const k in arg) {
      const v = (arg as Record<string, unknown>)[k];
      const revived = revive(v);
      if (revived !== v) (copy ??= { ...(arg as Record<string, unknown>) })[k] = revived;
    }
    return copy ?? arg;
  }
  return arg;
}

/** The writer of the admin CLI and of scripts: the same queue, on the caller's connection and thread. */
export function localWriter(store: Store, db: Database.Database, options: WriteQueueOptions = {}): Writer {
  const queue = new WriteQueue(db, options);
  return {
    call: (request) => queue.run(() => execute(store, request), request.waitForLock),
    close: async () => queue.close(),
  };
}

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: { name: string; message: string; code?: string; waitedMs?: number };
}

/**
 * The server's writer: a thread with its own connection to `dbPath`; resolves once that connection is open. Should
 * the thread ever die, every write still pending and every later one fails, and `onFailure` is told (the server exits:
 * a server that cannot write must not look healthy).
 */
export function startWriterThread(
  dbPath: string,
  options: WriteQueueOptions = {},
  onFailure: (err: Error) => void = () => {},
): Promise<Writer> {
  const worker = new Worker(new URL("./writer-thread.mjs", import.meta.url), { workerData: { dbPath, options } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const outbox: { id: number; request: WriteRequest }[] = [];
  let nextId = 1;
  let closed = false;
  let dead: Error | undefined;
  const failAll = (err: unknown) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const die = (err: Error) => {
    if (dead || closed) return;
    dead = err;
    failAll(err);
    onFailure(err);
  };
  return new Promise<Writer>((ready, failed) => {
    worker.once("error", (err) => {
      failed(err);
      die(err);
    });
    worker.once("exit", (code) => die(new Error(`the writer thread exited (code ${code})`)));
    worker.on("message", (m: { replies: Reply[] } | { ready: true }) => {
      if ("ready" in m) {
        ready({
          call(request) {
            if (dead) return Promise.reject(dead);
            if (closed) return Promise.reject(new Error("the writer is closed"));
            const id = nextId++;
            return new Promise((resolve, reject) => {
              pending.set(id, { resolve, reject });
              // One message per turn of the event loop, not per write: waking a thread costs more than cloning.
              if (outbox.push({ id, request }) === 1) {
                setImmediate(() => worker.postMessage({ requests: outbox.splice(0) }));
              }
            });
          },
          async close() {
            if (closed) return;
            closed = true;
            const exited = new Promise<void>((done) => worker.once("exit", () => done()));
            worker.postMessage({ close: true });
            await exited;
            failAll(new Error("the writer is closed"));
          },
        });
        return;
      }
      for (const r of m.replies) {
        const p = pending.get(r.id);
        if (!p) continue;
        pending.delete(r.id);
        if (r.ok) p.resolve(r.value);
        else p.reject(toError(r.error!));
      }
    });
  });
}

function toError(e: NonNullable<Reply["error"]>): Error {
  if (e.name === "WriteBusyError") return new WriteBusyError(e.waitedMs ?? 0);
  const err = new Error(e.message) as Error & { code?: string };
  err.name = e.name;
  if (e.code) err.code = e.code;
  return err;
}

/** A store method's type, with a promise of its result. */
export type Remote<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : T[K] extends object ? Remote<T[K]> : never;
};

/** Same as Remote<T>, but each call gives its result or an earlier one's record (see IdempotentResult). */
export type RemoteIdempotent<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? (...args: A) => Promise<IdempotentResult<R>>
    : T[K] extends object
      ? RemoteIdempotent<T[K]>
      : never;
};

/**
 * `remote<Store>(writer).profiles.create(…)`: the store's methods, run by the writer. `waitForLock: false`: these
 * writes are refused at once while another connection holds the lock (for best-effort writes).
 */
export function remote<T>(writer: Writer, options: { waitForLock?: boolean } = {}): Remote<T> {
  return proxy(writer, undefined, options.waitForLock);
}

/** Like remote(), for a write made under an Idempotency-Key (see IdempotentResult). */
export function remoteIdempotent<T>(writer: Writer, idempotency: IdempotencyScope): RemoteIdempotent<T> {
  return proxy(writer, idempotency);
}

function proxy(writer: Writer, idempotency: IdempotencyScope | undefined, waitForLock?: boolean): any {
  const at = (path: string[]): any =>
    new Proxy(() => undefined, {
      get: (_t, name) => (typeof name === "string" && name !== "then" ? at([...path, name]) : undefined),
      apply: (_t, _self, args: unknown[]) =>
        writer.call({ path, args, ...(idempotency ? { idempotency } : {}), ...(waitForLock === false ? { waitForLock } : {}) }),
    });
  return at([]);
}

export type { IdempotencyRecord, IdempotencyScope };
