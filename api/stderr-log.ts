// Where the server's access log and internal errors go: stderr, one write per turn of the event loop. A synchronous
// write per request (stderr is a pipe or a file: both synchronous in Node) cost a PUT ~5% of the event loop, mostly in
// waking the reader; lines that finish together now share one write. Whatever is pending is written at exit.
import type { LogLine } from "./middleware.ts";

let shared: LogLine | undefined;

/** The process's one stderr log (every app of the process shares it, and its exit hook). */
export function stderrLog(): LogLine {
  if (shared) return shared;
  let pending: string[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    const text = pending.join("");
    pending = [];
    process.stderr.write(text);
  };
  process.on("exit", flush);
  shared = (line) => {
    if (pending.push(`${line}\n`) === 1) setImmediate(flush);
  };
  return shared;
}
