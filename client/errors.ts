// What a failed request throws: the API's answer (ApiError), no answer at all (ConnectionError), or — for a PUT or
// DELETE — a failure that leaves open whether the API applied it (UncertainWriteError). All name the endpoint,
// never the token.

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
 * after the request was sent, a 5xx). It was not sent again: the caller reads back to find out.
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

export function certainlyNotSent(err: unknown): boolean {
  const cause = (err as { cause?: { code?: string } } | null)?.cause;
  return typeof cause?.code === "string" && NOT_SENT_CODES.has(cause.code);
}

/** Answers the API gives before it writes anything (503 database_busy, 429): the request may be sent again as is. */
export function refusedBeforeWriting(status: number, code: string): boolean {
  return (status === 503 && code === "database_busy") || status === 429;
}

/** The error body of a non-2xx answer as an ApiError; `where` is the URL without query (it never holds credentials). */
export function toApiError(status: number, text: string, method: string, where: string, requestId: string | null): ApiError {
  try {
    const parsed = JSON.parse(text) as { errors?: { code?: string; message?: string }[]; trace?: string };
    const first = parsed.errors?.[0];
    const message = parsed.errors?.map((e) => e.message).filter(Boolean).join("; ") || text;
    return new ApiError(status, first?.code ?? "error", message, method, where, parsed.trace ?? requestId ?? undefined);
  } catch {
    return new ApiError(status, "error", text.slice(0, 200) || `HTTP ${status}`, method, where, requestId ?? undefined);
  }
}

/** Why a connection failed, in words: the system error code and message when there is one. */
export function describeCause(err: unknown): string {
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
