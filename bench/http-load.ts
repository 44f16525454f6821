// The HTTP load generator of the API benchmarks: undici's Pool (keep-alive connections, one request in flight on
// each), the same for every request a benchmark compares. Request bodies are serialised by the caller (once, or
// cheaply per request), and every answer is read to its end and checked by the caller: a throughput of wrong answers
// means nothing. Node's fetch through client/ (as client/ was then, with its retry layer) cost the benchmark's own
// process more CPU per request than the server spends on a /health, on the same 2 cores: the baseline then measured
// the client. client/ itself now uses node:http; this generator stays lighter still, and is the same for all.
import { Pool } from "undici";

export interface Answer {
  status: number;
  text: string;
}

export interface HttpLoad {
  /** Sends one request on a free connection of the pool and reads the whole answer. */
  send(method: "GET" | "PUT" | "POST", path: string, headers: Record<string, string>, body?: string): Promise<Answer>;
  close(): Promise<void>;
}

/** `connections` keep-alive connections to `url` (one per concurrent client, so no client waits for another's). */
export function httpLoad(url: string, connections: number): HttpLoad {
  const pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    async send(method, path, headers, body) {
      const res = await pool.request({ method, path, headers, body });
      return { status: res.statusCode, text: await res.body.text() };
    },
    close: () => pool.close(),
  };
}
