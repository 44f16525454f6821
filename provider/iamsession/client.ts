// The provider's client for the iamsession settings API: timeouts, retries with backoff for 5xx and connection
// errors, and errors that name the endpoint. Resources use this; the framework never sees HTTP.
import type { SettingName } from "../../schemas/settings.ts";
import type {
  AccountEffectiveSettings,
  AccountSettingsBody,
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
  ) {
    super(
      `could not reach the iamsession API at ${endpoint} after ${attempts} attempt(s): ${describeCause(reason)}`,
    );
  }
}

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

  /** Partial update guarded by If-Match: a stale entity tag gets an ApiError with status 412 and changes nothing. */
  putSettings(
    kind: OwnerKind,
    ownerId: string,
    entityTag: string,
    changes: Partial<Record<SettingName, string>>,
  ): Promise<OwnerSettings> {
    return this.request<OwnerSettings>("PUT", `${ownerPath(kind, ownerId)}/settings/identity`, {
      body: changes,
      ifMatch: entityTag,
    });
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

  createTrustedProfile(accountId: string, body: { name: string; session_duration_in_seconds?: string }): Promise<TrustedProfile> {
    return this.request<TrustedProfile>("POST", profilesPath(accountId), { body });
  }

  getTrustedProfile(accountId: string, profileId: string): Promise<TrustedProfile> {
    return this.request<TrustedProfile>("GET", profilePath(accountId, profileId));
  }

  /** Partial update guarded by If-Match, like the settings. */
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
    extra: { body?: unknown; ifMatch?: string } = {},
  ): Promise<T> {
    const url = new URL(path, this.base);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.opts.token}`,
      accept: "application/json",
      "user-agent": this.opts.userAgent ?? "terraform-provider-iamsession",
    };
    if (extra.body !== undefined) headers["content-type"] = "application/json";
    if (extra.ifMatch !== undefined) headers["if-match"] = `"${extra.ifMatch}"`;
    const body = extra.body === undefined ? undefined : JSON.stringify(extra.body);
    const attempts = this.opts.maxRetries + 1;

    const where = `${url.origin}${url.pathname}`;
    const log = this.opts.log;

    let lastConnectionError: unknown;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await sleep(this.backoffMs(attempt - 1));
      const started = performance.now();
      let res: Response;
      try {
        res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(this.opts.timeoutMs) });
      } catch (err) {
        lastConnectionError = err;
        log?.warn("iamsession API request failed", { method, url: where, attempt, attempts, error: describeCause(err) });
        continue; // connection errors and timeouts are retried
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
      if (res.status >= 500 && attempt < attempts) {
        log?.warn("iamsession API answered a server error; retrying", { method, url: where, status: res.status, attempt, attempts });
        continue;
      }
      throw error;
    }
    throw new ConnectionError(this.opts.endpoint, lastConnectionError, attempts);
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
