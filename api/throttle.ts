// Failed-authentication throttling, per client address (a token bucket per address, in memory).
//
// Each address may fail `limit` times in a burst; the bucket refills at `limit` per `windowSeconds`. Once it is
// empty, a failure is answered 429 with Retry-After (the seconds until one more attempt is allowed) instead of 401.
// A valid credential is checked first and never throttled: a key that works keeps working from an address that an
// attacker shares (NAT, CI runners). That is safe for API keys (256 random bits: the throttle limits noise and load,
// not guessing odds); a route checking something guessable (a password) should instead ask `retryAfter` BEFORE
// checking and refuse while it is non-zero — both uses share one instance, so failures anywhere count everywhere.
//
// Configured by IAMSESSION_AUTH_THROTTLE ("LIMIT/SECONDS", default 20/60; "off" disables it).
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { apiError, type ApiError } from "./errors.ts";

export interface ThrottleOptions {
  /** Failures allowed in a burst. */
  limit: number;
  /** Seconds in which the bucket refills `limit` failures. */
  windowSeconds: number;
  /** Addresses tracked at most (the least recently failing are forgotten first). */
  maxAddresses?: number;
  /** Milliseconds since the epoch; injected by tests. */
  now?: () => number;
}

export const DEFAULT_THROTTLE = { limit: 20, windowSeconds: 60 } as const;

interface Bucket {
  tokens: number;
  at: number;
}

export class FailureThrottle {
  readonly limit: number;
  readonly windowSeconds: number;
  readonly #buckets = new Map<string, Bucket>();
  readonly #maxAddresses: number;
  readonly #now: () => number;
  /** Tokens per millisecond. */
  readonly #rate: number;

  constructor(options: ThrottleOptions) {
    this.limit = options.limit;
    this.windowSeconds = options.windowSeconds;
    this.#maxAddresses = options.maxAddresses ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#rate = options.limit / (options.windowSeconds * 1000);
  }

  #refilled(address: string, now: number): Bucket {
    const b = this.#buckets.get(address);
    if (!b) return { tokens: this.limit, at: now };
    return { tokens: Math.min(this.limit, b.tokens + (now - b.at) * this.#rate), at: now };
  }

  /** Seconds until `address` may fail again; 0 when it may now. */
  retryAfter(address: string): number {
    const b = this.#refilled(address, this.#now());
    return b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.#rate / 1000));
  }

  /** Records one failure; answers the seconds to wait when the address had no attempt left (then: answer 429). */
  fail(address: string): number {
    const now = this.#now();
    const b = this.#refilled(address, now);
    const wait = b.tokens >= 1 ? 0 : Math.max(1, Math.ceil((1 - b.tokens) / this.#rate / 1000));
    if (wait === 0) b.tokens -= 1;
    // Re-insert: Map order is then least recently failing first, which is what gets forgotten.
    this.#buckets.delete(address);
    this.#buckets.set(address, b);
    if (this.#buckets.size > this.#maxAddresses) this.#buckets.delete(this.#buckets.keys().next().value!);
    return wait;
  }
}

/** Parses "LIMIT/SECONDS" or "off"; throws a message naming the variable otherwise. */
export function parseThrottle(value: string | undefined): ThrottleOptions | null {
  if (value === undefined || value === "") return { ...DEFAULT_THROTTLE };
  if (value === "off") return null;
  const m = /^([1-9][0-9]{0,8})\/([1-9][0-9]{0,6})$/.exec(value);
  if (!m) {
    throw new Error(`IAMSESSION_AUTH_THROTTLE must be LIMIT/SECONDS (for example 20/60) or "off"; got ${JSON.stringify(value)}`);
  }
  return { limit: Number(m[1]), windowSeconds: Number(m[2]) };
}

/**
 * The client's address: the TCP peer. Forwarding headers are not trusted (any client could set them); behind a
 * proxy, every client then shares the proxy's bucket.
 */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // not served by @hono/node-server (app.fetch in a test)
  }
}

export function tooManyFailures(retryAfterSeconds: number): ApiError {
  return apiError(
    "too_many_failed_attempts",
    `too many failed authentication attempts from this address; retry after ${retryAfterSeconds} seconds`,
    { type: "header", name: "Authorization" },
    { "Retry-After": String(retryAfterSeconds) },
  );
}

/**
 * For a route that checks a guessable credential (a password login): call before checking — it refuses at once
 * (429) while the client's address is throttled, so a throttled client learns nothing about the password.
 */
export function refuseWhileThrottled(throttle: FailureThrottle | null | undefined, c: Context): void {
  const wait = throttle?.retryAfter(clientAddress(c)) ?? 0;
  if (wait > 0) throw tooManyFailures(wait);
}

/** Records a failed credential check of the client's address; answers the error to throw (401 or 429). */
export function failedCredential(throttle: FailureThrottle | null | undefined, c: Context, unauthorized: ApiError): ApiError {
  const wait = throttle?.fail(clientAddress(c)) ?? 0;
  return wait > 0 ? tooManyFailures(wait) : unauthorized;
}
