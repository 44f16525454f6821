// What a failed request throws: the API's answer (ApiError) or no answer at all (ConnectionError). Both name the
// endpoint, never the token.

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
