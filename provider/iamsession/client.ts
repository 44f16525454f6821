// The provider's client for the iamsession settings API: timeouts, retries with backoff, and errors that name the
// endpoint. Resources use this; the framework never sees HTTP.
//
// What is retried depends on what a retry can do (issue #12):
//   GET                 after a timeout, a connection error or a 5xx: reading twice changes nothing.
//   POST                the same, with ONE Idempotency-Key per logical create, sent on every attempt: the API
//                       answers a repeat with the first answer and creates nothing more.
//   PUT, DELETE         only when the request certainly did not reach the API (connection refused, no such host,
//                       503 database_busy / 429, which the API sends before writing anything). After a failure that
//                       leaves it open whether the API applied the write (timeout, connection lost after sending,
//                       any other 5xx) the client throws UncertainWriteError: the caller re-reads and decides.
import { randomUUID } from "node:crypto";
import type { SettingName } from "../../schemas/settings.ts";
import type {
  AccountEffectiveSettings,
  AccountSettingsBody,
  HistoryEntry,
  IdentityEffectiveSettings,
  OwnerKind,
  SettingsBody,
  TrustedProfile,
} from "../../schemas/wire.ts";

export type {
  AccountEffectiveSettings,
  EffectiveValue as EffectiveSetting,
  HistoryEntry,
  IdentityEffectiveSettings,
  OwnerKind,
  TrustedProfile,
} from "../../schemas/wire.ts";

/** The URL segment of each owner kind: `/v1/accounts/{id}/…`, `/v1/enterprises/{id}/…`. */
const OWNER_SEGMENT: Record<OwnerKind, string> = { account: "accounts", enterprise: "enterprises" };

export interface ClientOptions {
  endpoint: string;
  token: string;
  /** Per attempt. */
  timeoutMs: number;
  /** Extra attempts after the first, for 5xx answers and connection errors. */
  maxRetries: number;
  /** First backoff delay; doubled on each retry, with jitter. */
  retryBaseMs?: number;
  userAgent?: string;
  /** Where each request and retry is logged (method, URL, status, time; never headers or bodies). */
  log?: RequestLog;
}

export interface RequestLog {
  debug(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** One owner's settings: `account_id` or `enterprise_id` names the owner, depending on the kind. */
export type OwnerSettings = SettingsBody & { account_id?: string; enterprise_id?: string };

export type AccountSettings = AccountSettingsBody;

export type TrustedProfileChanges = Partial<Pick<TrustedProfile, "name" | "session_duration_in_seconds">>;

/** An answer from the API that is not a success, with the API's own error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly method: string,
    readonly url: string,
    readonly trace?: string,
  ) {
    super(`${method} ${url} answered ${status} ${code}: ${apiMessage}${trace ? ` (trace ${trace})` : ""}`);
  }
}

/** The API could not be reached at all (refused, reset, timed out), after every retry. */
export class ConnectionError extends Error {
  constructor(
    readonly endpoint: string,
    readonly reason: unknown,
    readonly attempts: number,
    /** False when some attempt may have reached the API (a timeout, a connection lost after sending). */
    readonly certainlyNotSent: boolean = false,
    readonly method?: string,
  ) {
    super(
      `could not reach the iamsession API at ${endpoint} after ${attempts} attempt(s): ${describeCause(reason)}`,
    );
  }
}

/**
 * A PUT or DELETE failed in a way that leaves it open whether the API applied it (a timeout, the connection lost
 * after the request was sent, a 5xx). It was not retried: the caller re-reads to find out.
 */
export class UncertainWriteError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    /** The ApiError (a 5xx) or the connection error. */
    readonly reason: unknown,
  ) {
    super(
      `${method} ${url} did not complete: ${reason instanceof ApiError ? `answered ${reason.status} ${reason.code}: ${reason.apiMessage}` : describeCause(reason)}`,
    );
  }
}

/** Connection errors raised before a single byte of the request could have reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);

function certainlyNotSent(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } } | null)?.cause;
  return typeof cause?.code === "string" && NOT_SENT_CODES.has(cause.code);
}

/** Answers the API gives before it writes anything: the request may be sent again as it is. */
function refusedBeforeWriting(status: number, code: string): boolean {
  return (status === 503 && code === "database_busy") || status === 429;
}

type RetryPolicy = "read" | "idempotent" | "conditional";

export class IamsessionClient {
  private readonly base: URL;

  constructor(private readonly opts: ClientOptions) {
    this.base = new URL(opts.endpoint.endsWith("/") ? opts.endpoint : `${opts.endpoint}/`);
  }

  get endpoint(): string {
    return this.opts.endpoint;
  }

  /** The settings of an account or an enterprise (with `includeHistory`, who changed them and when). */
  getSettings(kind: OwnerKind, ownerId: string, includeHistory = false): Promise<OwnerSettings> {
    const q = includeHistory ? "?include_history=true" : "";
    return this.request<OwnerSettings>("GET", `${ownerPath(kind, ownerId)}/settings/identity${q}`);
  }

  /**
   * Partial update guarded by If-Match: a stale entity tag gets an ApiError with status 412 and changes nothing.
   * `changeKey` (one per logical change) is recorded in the history entry the change makes: after an
   * UncertainWriteError, the latest entry tells whether this change was made.
   */
  putSettings(
    kind: OwnerKind,
    ownerId: string,
    entityTag: string,
    changes: Partial<Record<SettingName, string>>,
    changeKey?: string,
  ): Promise<OwnerSettings> {
    return this.request<OwnerSettings>("PUT", `${ownerPath(kind, ownerId)}/settings/identity`, {
      body: changes,
      ifMatch: entityTag,
      idempotencyKey: changeKey,
    });
  }

  /** The latest entry of the settings' history (one entry read, however long the history), if any. */
  async getLatestChange(kind: OwnerKind, ownerId: string): Promise<HistoryEntry | undefined> {
    const page = await this.request<{ history: HistoryEntry[] }>("GET", `${ownerPath(kind, ownerId)}/settings/identity/history?limit=1`);
    return page.history[0];
  }

  getAccountSettings(accountId: string, includeHistory = false): Promise<AccountSettings> {
    return this.getSettings("account", accountId, includeHistory) as Promise<AccountSettings>;
  }

  putAccountSettings(
    accountId: string,
    entityTag: string,
    changes: Partial<Record<SettingName, string>>,
  ): Promise<AccountSettings> {
    return this.putSettings("account", accountId, entityTag, changes) as Promise<AccountSettings>;
  }

  /** One logical create: every attempt carries the same Idempotency-Key, so a retry never creates a second profile. */
  createTrustedProfile(
    accountId: string,
    body: { name: string; session_duration_in_seconds?: string },
    idempotencyKey: string = randomUUID(),
  ): Promise<TrustedProfile> {
    return this.request<TrustedProfile>("POST", profilesPath(accountId), { body, idempotencyKey });
  }

  getTrustedProfile(accountId: string, profileId: string): Promise<TrustedProfile> {
    return this.request<TrustedProfile>("GET", profilePath(accountId, profileId));
  }

  /** Partial update guarded by If-Match, like the settings (an uncertain failure: UncertainWriteError). */
  putTrustedProfile(accountId: string, profileId: string, entityTag: string, changes: TrustedProfileChanges): Promise<TrustedProfile> {
    return this.request<TrustedProfile>("PUT", profilePath(accountId, profileId), { body: changes, ifMatch: entityTag });
  }

  /** With an entity tag, a profile changed since then is not deleted (412). */
  async deleteTrustedProfile(accountId: string, profileId: string, entityTag?: string): Promise<void> {
    await this.request<unknown>("DELETE", profilePath(accountId, profileId), { ifMatch: entityTag });
  }

  getAccountEffectiveSettings(accountId: string): Promise<AccountEffectiveSettings> {
    return this.request<AccountEffectiveSettings>("GET", `${ownerPath("account", accountId)}/effective_settings/identity`);
  }

  getIdentityEffectiveSettings(iamId: string): Promise<IdentityEffectiveSettings> {
    return this.request<IdentityEffectiveSettings>("GET", `v1/identities/${encodeURIComponent(iamId)}/effective_settings/identity`);
  }

  private async request<T>(
    method: string,
    path: string,
    extra: { body?: unknown; ifMatch?: string; idempotencyKey?: string } = {},
  ): Promise<T> {
    const policy: RetryPolicy = method === "GET" || method === "HEAD" ? "read" : method === "POST" ? "idempotent" : "conditional";
    const url = new URL(path, this.base);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.opts.token}`,
      accept: "application/json",
      "user-agent": this.opts.userAgent ?? "terraform-provider-iamsession",
    };
    if (extra.body !== undefined) headers["content-type"] = "application/json";
    if (extra.ifMatch !== undefined) headers["if-match"] = `"${extra.ifMatch}"`;
    if (extra.idempotencyKey !== undefined) headers["idempotency-key"] = `"${extra.idempotencyKey}"`;
    const body = extra.body === undefined ? undefined : JSON.stringify(extra.body);
    const attempts = this.opts.maxRetries + 1;

    const where = `${url.origin}${url.pathname}`;
    const log = this.opts.log;

    let lastConnectionError: unknown;
    let everSent = false;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs(attempt - 1));
      const started = performance.now();
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      } catch (err) {
        lastConnectionError = err;
        const notSent = certainlyNotSent(err);
        everSent ||= !notSent;
        log?.warn("iamsession API request failed", { method, url: where, attempt, attempts, error: describeCause(err) });
        // A PUT or DELETE that may have reached the API is not sent again: the caller re-reads instead.
        if (policy === "conditional" && !notSent) throw new UncertainWriteError(method, where, err);
        continue;
      }
      const text = await res.text();
      const requestId = res.headers.get("x-request-id");
      log?.debug("iamsession API request", {
        method,
        url: where,
        status: res.status,
        ms: Math.round(performance.now() - started),
        attempt,
        request_id: requestId,
      });
      if (res.ok) return (text ? JSON.parse(text) : {}) as T;
      const error = toApiError(res.status, text, method, url, requestId);
      const again = refusedBeforeWriting(res.status, error.code)
        ? true
        : policy === "idempotent" && res.status === 409 && error.code === "idempotency_key_in_use"
          ? true // the first attempt is still being processed: its answer comes with the next one
          : res.status >= 500
            ? policy !== "conditional"
            : false;
      if (!again && res.status >= 500 && policy === "conditional") throw new UncertainWriteError(method, where, error);
      if (again && attempt < attempts) {
        log?.warn("iamsession API answered an error that may be retried; retrying", { method, url: where, status: res.status, attempt, attempts });
        continue;
      }
      throw error;
    }
    throw new ConnectionError(this.opts.endpoint, lastConnectionError, attempts, !everSent, method);
  }

  private backoffMs(retry: number): number {
    const base = this.opts.retryBaseMs ?? 250;
    const delay = Math.min(base * 2 ** (retry - 1), 5_000);
    return delay / 2 + Math.random() * (delay / 2);
  }
}

function ownerPath(kind: OwnerKind, ownerId: string): string {
  return `v1/${OWNER_SEGMENT[kind]}/${encodeURIComponent(ownerId)}`;
}

function profilesPath(accountId: string): string {
  return `${ownerPath("account", accountId)}/trusted_profiles`;
}

function profilePath(accountId: string, profileId: string): string {
  return `${profilesPath(accountId)}/${encodeURIComponent(profileId)}`;
}

function toApiError(status: number, text: string, method: string, url: URL, requestId: string | null): ApiError {
  // The URL in messages never carries credentials: the token travels only in the Authorization header.
  const where = `${url.origin}${url.pathname}`;
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[]; trace?: string };
    const first = parsed.errors?.[0];
    const message = parsed.errors?.map((e) => e.message).filter(Boolean).join("; ") || text;
    return new ApiError(status, first?.code ?? "error", message, method, where, parsed.trace ?? requestId ?? undefined);
  } catch {
    return new ApiError(status, "error", text.slice(0, 200) || `HTTP ${status}`, method, where, requestId ?? undefined);
  }
}

function describeCause(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return "the request timed out";
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as Error & { code?: string }).code;
      return code ? `${code} (${cause.message})` : cause.message;
    }
    return err.message;
  }
  return String(err);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
