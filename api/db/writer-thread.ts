// The writer thread: its own connection to the API's database (busy_timeout 0), one WriteQueue (group commit, lock
// budget), and the store methods the main thread asks for. Blocking here (in COMMIT's fsync) never blocks the event
// loop that serves /health and reads. Requests and replies travel in batches, one message per turn each way.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "./database.ts";
import { Store } from "./store.ts";
import { WriteBusyError, WriteQueue, type WriteQueueOptions } from "./write-queue.ts";
import { execute, type WriteRequest } from "./writer.ts";

const { dbPath, options } = workerData as { dbPath: string; options: WriteQueueOptions };
const port = parentPort!;
const db = openDatabase(dbPath, { busyTimeoutMs: 0 });
const store = new Store(db);
const queue = new WriteQueue(db, options);

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: object };
let outbox: Reply[] = [];
function reply(r: Reply): void {
  // Replies settled by one commit resolve in the same turn: send them together.
  if (outbox.push(r) === 1) {
    setImmediate(() => {
      const replies = outbox;
      outbox = [];
      port.postMessage({ replies });
    });
  }
}

function describe(err: unknown): object {
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    name: e.name,
    message: e.message,
    code: (e as Error & { code?: string }).code,
    waitedMs: err instanceof WriteBusyError ? err.waitedMs : undefined,
  };
}

port.on("message", (m: { requests: { id: number; request: WriteRequest }[] } | { close: true }) => {
  if ("close" in m) {
    if (process.env.IAMSESSION_WRITER_STATS) process.stderr.write(`writer stats ${JSON.stringify(queue.stats)}\n`);
    queue.close();
    db.close();
    port.close();
    return;
  }
  for (const { id, request } of m.requests) {
    queue.run(() => execute(store, request)).then(
      (value) => reply({ id, ok: true, value }),
      (err: unknown) => reply({ id, ok: false, error: describe(err) }),
    );
  }
});
port.postMessage({ ready: true });
