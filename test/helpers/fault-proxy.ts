// A fault-injecting HTTP proxy for tests, between a client (the provider) and the real API: it forwards every
// request and, for the requests a fault matches, misbehaves the way a flaky network does:
//   delay              forwards, waits, then answers (longer than the client's timeout: the client gives up while
//                      the API has already committed)
//   drop_after_commit  forwards, lets the API answer, then closes the client's connection without an answer
//   error_after_commit forwards, lets the API answer, then answers 502 instead
//   error_before       answers 502 without forwarding (the API never sees the request)
// Each fault applies to the next `times` matching requests (default 1). Every request is logged with what happened.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind = "delay" | "drop_after_commit" | "error_after_commit" | "error_before";

export interface Fault {
  kind: FaultKind;
  /** e.g. "PUT" or "POST"; any method when absent. */
  method?: string;
  /** A regular expression the path must match; any path when absent. */
  path?: RegExp;
  /** For "delay". */
  delayMs?: number;
  /** How many matching requests it applies to (default 1). */
  times?: number;
}

export interface ProxiedRequest {
  method: string;
  path: string;
  /** The API's status, or undefined when the request was not forwarded. */
  upstreamStatus?: number;
  fault?: FaultKind;
}

export interface FaultProxy {
  readonly url: string;
  inject(fault: Fault): void;
  /** Removes the faults not yet used up. */
  clear(): void;
  /** The faults still waiting for a matching request. */
  pending(): number;
  readonly log: ProxiedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function forward(target: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
      (res) => {
        void readBody(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
      },
    );
    upstream.on("error", reject);
    upstream.end(body);
  });
}

const badGateway = (res: ServerResponse) =>
  res.writeHead(502, { "content-type": "text/plain", connection: "close" }).end("fault proxy: bad gateway");

export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const faults: (Fault & { times: number })[] = [];
  const log: ProxiedRequest[] = [];

  const take = (method: string, path: string): Fault | undefined => {
    const i = faults.findIndex((f) => (!f.method || f.method === method) && (!f.path || f.path.test(path)));
    if (i < 0) return undefined;
    const f = faults[i]!;
    if (--f.times <= 0) faults.splice(i, 1);
    return f;
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const method = req.method ?? "GET";
      const path = new URL(req.url ?? "/", "http://proxy").pathname;
      const body = await readBody(req);
      const fault = take(method, path);
      const entry: ProxiedRequest = { method, path, ...(fault ? { fault: fault.kind } : {}) };
      log.push(entry);
      if (fault?.kind === "error_before") return badGateway(res);
      let answer;
      try {
        answer = await forward(target, req, body);
      } catch {
        return badGateway(res);
      }
      entry.upstreamStatus = answer.status;
      switch (fault?.kind) {
        case "drop_after_commit":
          req.socket.destroy();
          return;
        case "error_after_commit":
          return badGateway(res);
        case "delay":
          await new Promise((r) => setTimeout(r, fault.delayMs ?? 5000));
          break;
      }
      if (res.destroyed) return;
      const headers = { ...answer.headers };
      delete headers["transfer-encoding"];
      res.writeHead(answer.status, { ...headers, "content-length": String(answer.body.length) }).end(answer.body);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject: (fault) => faults.push({ ...fault, times: fault.times ?? 1 }),
    clear: () => void faults.splice(0),
    pending: () => faults.length,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
