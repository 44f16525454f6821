// Idempotency-Key on every POST (modelled on the IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
//
//   - The key is a structured-field string (`Idempotency-Key: "…"`; a bare token is accepted too), 1–255 printable
//     ASCII characters. It is scoped to the calling API key: one tenant can neither replay nor detect another's.
//   - The first request with a key runs; its write and the record (fingerprint of method, path and body, and the
//     write's outcome) commit together (writer.ts). For 24 hours the same key with the same request gets the same
//     answer again, without writing again (header `Idempotent-Replayed: true`); with another request, 422.
//   - While a request with the key is still being processed, another one gets 409.
//   - Logins and token requests (the public POSTs) refuse a key with 400: their answer is a secret never stored.
//   - Only a request that reached its write is recorded: a request refused before (400, 401, 403, 404, 503, …) wrote
//     nothing, and the same key may be sent again once the problem is fixed.
import { createHash } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import type { IdempotencyRecord, IdempotencyScope } from "./db/idempotency.ts";
import type { Store } from "./db/store.ts";
import { remoteIdempotent, type IdempotentResult, type Remote, type Writer } from "./db/writer.ts";
import { apiError, type ApiError } from "./errors.ts";

export const IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
export const REPLAYED_HEADER = "Idempotent-Replayed";
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Set by the middleware on a POST that carries a key; consumed by writeOnce(). */
export interface IdempotencyContext {
  scope: IdempotencyScope;
  /** The key's record, found before the handler ran: the handler renders it instead of writing. */
  earlier: IdempotencyRecord | undefined;
  used: boolean;
  /** The answer is rendered from an earlier request's outcome. */
  replayed: boolean;
}

/** True when this request's answer is a replay (a handler must not render anything it made up for this request). */
export function isReplay(c: Context<AppEnv>): boolean {
  return c.get("idempotency")?.replayed === true;
}

const target = { type: "header" as const, name: IDEMPOTENCY_KEY_HEADER };

/**
 * The header's syntax, as the document states it: a structured-field string (`"…"`, with \" and \\ escapes) or a bare
 * token, of 1 to 255 characters once unquoted (an escape pair is one character).
 */
export const IDEMPOTENCY_KEY_PATTERN =
  `^(?:"(?:[\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]|\\\\["\\\\]){1,${MAX_IDEMPOTENCY_KEY_LENGTH}}"|[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,${MAX_IDEMPOTENCY_KEY_LENGTH}})$`;
const IDEMPOTENCY_KEY_RE = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The key of a well-formed header (see IDEMPOTENCY_KEY_PATTERN); undefined when malformed. */
export function parseIdempotencyKey(header: string): string | undefined {
  const value = header.trim();
  if (!IDEMPOTENCY_KEY_RE.test(value)) return undefined;
  return value.startsWith('"') ? value.slice(1, -1).replace(/\\(["\\])/g, "$1") : value;
}

export function invalidIdempotencyKey(): ApiError {
  return apiError(
    "invalid_idempotency_key",
    `${IDEMPOTENCY_KEY_HEADER} must be a quoted string of 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters, for example "8e03978e-40d5-43e8-bc93-6894a57f9324"`,
    target,
  );
}

export function idempotencyKeyNotSupported(): ApiError {
  return apiError(
    "idempotency_key_not_supported",
    `a login or token request cannot be replayed: its answer is a secret token, and only the token's hash is stored; send it without ${IDEMPOTENCY_KEY_HEADER} (a login whose answer was lost leaves a session nobody holds, which ends at the idle limit)`,
    target,
  );
}

export function idempotencyKeyReused(): ApiError {
  return apiError(
    "idempotency_key_reused",
    `this ${IDEMPOTENCY_KEY_HEADER} was already used (within 24 hours) for a different request; use a new key for a new request`,
    target,
  );
}

export function idempotencyKeyInUse(): ApiError {
  return apiError(
    "idempotency_key_in_use",
    `a request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry once it has been answered`,
    target,
  );
}

function fingerprintOf(method: string, url: string, body: string): string {
  const { pathname, search } = new URL(url);
  return createHash("sha256").update(`${method}\n${pathname}${search}\n`).update(body).digest("hex");
}

/** For POSTs under /v1 (after authentication and the body limit): checks the key, replays, or lets the write run. */
export function idempotencyKey(store: Store, log: (line: string) => void): MiddlewareHandler<AppEnv> {
  const inFlight = new Set<string>();
  return async (c, next) => {
    const header = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (c.req.method !== "POST" || header === undefined) return next();
    // The public POSTs (logins, tokens) have no caller key to scope a record to, and their answer is a secret.
    const principal = c.get("principal") as AppEnv["Variables"]["principal"] | undefined;
    if (!principal) throw idempotencyKeyNotSupported();
    const key = parseIdempotencyKey(header);
    if (key === undefined) throw invalidIdempotencyKey();
    const callerKeyId = principal.keyId;
    // Reading the body here keeps it for the validator (Hono caches it).
    const scope: IdempotencyScope = { callerKeyId, key, fingerprint: fingerprintOf(c.req.method, c.req.url, await c.req.text()) };
    const earlier = store.idempotency.get(callerKeyId, key);
    if (earlier && earlier.fingerprint !== scope.fingerprint) throw idempotencyKeyReused();
    const flight = `${callerKeyId}\n${key}`;
    if (inFlight.has(flight)) throw idempotencyKeyInUse();
    inFlight.add(flight);
    const context: IdempotencyContext = { scope, earlier, used: false, replayed: false };
    c.set("idempotency", context);
    try {
      await next();
    } finally {
      inFlight.delete(flight);
    }
    if (!context.used && c.res.status < 300) {
      log(`internal error: POST ${c.req.path} answered ${c.res.status} without honouring ${IDEMPOTENCY_KEY_HEADER} (use writeOnce)`);
    }
  };
}

/**
 * A POST handler's one write, done at most once per Idempotency-Key: `write` gets the store's methods (run by the
 * writer) and returns exactly one method's promise, `(s) => s.profiles.create(…)`: the outcome the handler renders
 * its answer from. Under a key already used for this same
 * request, the recorded outcome comes back instead and nothing is written; the answer is marked as a replay.
 */
export async function writeOnce<T>(c: Context<AppEnv>, deps: { write: Remote<Store>; writer: Writer }, write: (store: Remote<Store>) => Promise<T>): Promise<T> {
  const context = c.get("idempotency");
  if (!context) return write(deps.write);
  if (context.used) throw new Error("writeOnce: one write per request");
  context.used = true;
  const replay = (record: IdempotencyRecord): T => {
    if (record.fingerprint !== context.scope.fingerprint) throw idempotencyKeyReused();
    c.header(REPLAYED_HEADER, "true");
    context.replayed = true;
    return JSON.parse(record.outcome) as T;
  };
  if (context.earlier) return replay(context.earlier);
  // The writer checks the record again inside the write's own savepoint: another process may have used the key since.
  const result = (await write(remoteIdempotent<Store>(deps.writer, context.scope) as unknown as Remote<Store>)) as unknown as IdempotentResult<T>;
  return result.replayed ? replay(result.record) : result.value;
}
