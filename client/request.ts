// The one function every API call goes through: bearer token, JSON body, If-Match, Idempotency-Key, a timeout per
// attempt, retries with backoff, and a log line per request and retry through an injected logger (method, URL,
// status, time, request id; never headers or bodies).
//
// What is retried depends on what a retry can do (issue #12):
//   GET          after a timeout, a connection error or a 5xx: reading twice changes nothing.
//   POST         the same, with ONE Idempotency-Key per logical create, sent on every attempt: the API answers a
//                repeat with the first answer and creates nothing more (and 409 idempotency_key_in_use while the
//                first is still being processed: retried too).
//   PUT, DELETE  only when the request certainly did not reach the API (connection refused, no such host, 503
//                database_busy / 429, which the API sends before writing anything). After a failure that leaves it
//                open whether the API applied the write (a timeout, the connection lost after sending, any other
//                5xx) the request is not sent again: UncertainWriteError, and the caller reads back.
//   any          never after the server's TLS certificate was refused (CertificateError): no request was sent, and
//                another attempt would meet the same certificate.
import {
  ApiError,
  certainlyNotSent,
  certificateError,
  ConnectionError,
  describeCause,
  refusedBeforeWriting,
  toApiError,
  UncertainWriteError,
} from "./errors.ts";
import { exchange, httpAgent, type HttpAgent, type HttpAnswer } from "./http.ts";

export interface ClientOptions {
  endpoint: string;
  token: string;
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after the first, for 5xx answers and connection errors. */
  maxRetries: number;
  /** First backoff delay; doubled on each retry, with jitter. */
  retryBaseMs?: number;
  /** Who is calling (the provider, the drift check); default "iamsession-client". */
  userAgent?: string;
  /** Where each request and retry is logged (method, URL, status, time; never headers or bodies). */
  log?: RequestLog;
}

export interface RequestLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface RequestExtra {
  /** Sent as JSON. */
  body?: unknown;
  /** An entity tag, sent quoted in If-Match. */
  ifMatch?: string;
  /** Sent quoted in Idempotency-Key, the same on every attempt. */
  idempotencyKey?: string;
}

/**
 * The options with the endpoint parsed once (an invalid endpoint throws here, when the client is made), and the
 * keep-alive agent every request of the client goes through.
 */
export interface Connection {
  readonly opts: ClientOptions;
  readonly base: URL;
  readonly http: HttpAgent;
}

export function connect(opts: ClientOptions): Connection {
  const base = new URL(opts.endpoint.endsWith("/") ? opts.endpoint : `${opts.endpoint}/`);
  return { opts, base, http: httpAgent(base) };
}

/**
 * Sends one request and returns the parsed JSON answer (`{}` for an empty one). `path` is relative to the endpoint
 * (a leading slash is dropped, so an endpoint with a path prefix keeps it). Throws ApiError for a non-2xx answer
 * (after retrying 5xx) and ConnectionError when no attempt got an answer.
 */
export async function request<T>(conn: Connection, method: Method, path: string, extra: RequestExtra = {}): Promise<T> {
  const { opts } = conn;
  const url = new URL(path.replace(/^\//, ""), conn.base);
  const headers: Record<string, string> = {
    authorization: `Bearer ${opts.token}`,
    accept: "application/json",
    "user-agent": opts.userAgent ?? "iamsession-client",
  };
  if (extra.body !== undefined) headers["content-type"] = "application/json";
  if (extra.ifMatch !== undefined) headers["if-match"] = `"${extra.ifMatch}"`;
  if (extra.idempotencyKey !== undefined) headers["idempotency-key"] = `"${extra.idempotencyKey}"`;
  const policy = method === "GET" ? "read" : method === "POST" ? "idempotent" : "conditional";
  const body = extra.body === undefined ? undefined : JSON.stringify(extra.body);
  const attempts = opts.maxRetries + 1;

  // The URL in logs and messages never carries credentials: the token travels only in the Authorization header.
  const where = `${url.origin}${url.pathname}`;
  const log = opts.log;

  let lastConnectionError: unknown;
  let everSent = false;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs(opts, attempt - 1));
    const started = performance.now();
    let res: HttpAnswer;
    try {
      res = await exchange(conn.http, method, url, headers, body, opts.timeoutMs);
    } catch (err) {
      const refused = certificateError(opts.endpoint, err);
      if (refused) {
        log?.warn("iamsession API certificate refused", { method, url: where, error: describeCause(err) });
        throw refused;
      }
      lastConnectionError = err;
      const notSent = certainlyNotSent(err);
      everSent ||= !notSent;
      log?.warn("iamsession API request failed", { method, url: where, attempt, attempts, error: describeCause(err) });
      // A PUT or DELETE that may have reached the API is not sent again: the caller reads back instead.
      if (policy === "conditional" && !notSent) throw new UncertainWriteError(method, where, err);
      continue;
    }
    const { text, requestId } = res;
    log?.debug("iamsession API request", {
      method,
      url: where,
      status: res.status,
      ms: Math.round(performance.now() - started),
      attempt,
      request_id: requestId,
    });
    if (res.status >= 200 && res.status < 300) return (text ? JSON.parse(text) : {}) as T;
    // Not followed: a write must not be re-sent elsewhere, nor the token. Where it points, without its query.
    if (res.status >= 300 && res.status < 400) throw redirected(res.status, res.location, url, method, where, requestId);
    const error: ApiError = toApiError(res.status, text, method, where, requestId);
    const again =
      refusedBeforeWriting(res.status, error.code) ||
      // The first attempt is still being processed: its answer comes with a later one.
      (policy === "idempotent" && res.status === 409 && error.code === "idempotency_key_in_use") ||
      (res.status >= 500 && policy !== "conditional");
    if (!again && res.status >= 500 && policy === "conditional") throw new UncertainWriteError(method, where, error);
    if (again && attempt < attempts) {
      log?.warn("iamsession API answered an error that may be retried; retrying", { method, url: where, status: res.status, attempt, attempts });
      continue;
    }
    throw error;
  }
  throw new ConnectionError(opts.endpoint, lastConnectionError, attempts, !everSent, method);
}

function redirected(status: number, location: string | null, url: URL, method: string, where: string, requestId: string | null): ApiError {
  let to = "";
  try {
    const target = new URL(location ?? "", url);
    if (location) to = ` to ${target.origin}${target.pathname}`;
  } catch {
    // An unreadable Location: say only that it redirected.
  }
  return new ApiError(
    status,
    "redirect",
    `a redirect${to}, which the client does not follow: set the endpoint to the API's own URL`,
    method,
    where,
    requestId ?? undefined,
  );
}

function backoffMs(opts: ClientOptions, retry: number): number {
  const base = opts.retryBaseMs ?? 250;
  const delay = Math.min(base * 2 ** (retry - 1), 5_000);
  return delay / 2 + Math.random() * (delay / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
