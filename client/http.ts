// One HTTP exchange (request sent, whole answer read) over a keep-alive agent that the client's requests share.
// node:http rather than fetch: a plan reads every resource once, and fetch's WHATWG request, headers, body stream
// and abort signal cost about twice the CPU of node:http per request here (and loading undici, on the first
// fetch, tens of milliseconds more), on a machine where the provider, the CLI and the API share the cores.
import http from "node:http";
import https from "node:https";

export interface HttpAnswer {
  status: number;
  text: string;
  requestId: string | null;
  /** Where a redirect points (redirects are not followed). */
  location: string | null;
}

/** Sockets kept open between requests to one endpoint: a plan's reads reuse them instead of connecting each time. */
export interface HttpAgent {
  readonly agent: http.Agent;
  readonly request: typeof http.request;
}

export function httpAgent(base: URL): HttpAgent {
  return base.protocol === "https:"
    ? { agent: new https.Agent({ keepAlive: true }), request: https.request }
    : { agent: new http.Agent({ keepAlive: true }), request: http.request };
}

/**
 * What fetch would throw: a connection error carries the system error as `cause` (errors.ts reads its code), and
 * a timeout is named TimeoutError.
 */
function failed(cause: Error): Error {
  return new Error(`request failed: ${cause.message}`, { cause });
}

function timedOut(ms: number): Error {
  const err = new Error(`no complete answer within ${ms} ms`);
  err.name = "TimeoutError";
  return err;
}

/** Sends the request and reads the whole answer; `timeoutMs` bounds both. Rejects only when no complete answer came. */
export function exchange(
  via: HttpAgent,
  method: string,
  url: URL,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const allHeaders = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const req = via.request(url, { method, headers: allHeaders, agent: via.agent });
    const timer = setTimeout(() => req.destroy(timedOut(timeoutMs)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err.name === "TimeoutError" ? err : failed(err));
    };
    req.once("error", fail);
    req.once("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.once("error", fail);
      res.once("close", () => {
        if (!res.complete) fail(new Error("the connection closed before the whole answer arrived"));
      });
      res.once("end", () => {
        clearTimeout(timer);
        const { "x-request-id": requestId, location } = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString("utf8"),
          requestId: typeof requestId === "string" ? requestId : null,
          location: location ?? null,
        });
      });
    });
    req.end(body);
  });
}
