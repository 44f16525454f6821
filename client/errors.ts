// What a failed request throws: the API's answer (ApiError), no answer at all (ConnectionError), the server's TLS
// certificate refused (CertificateError), or — for a PUT or DELETE — a failure that leaves open whether the API
// applied it (UncertainWriteError). All name the endpoint, never the token.

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

/** Why a server's certificate was refused: each has its own remedy. */
export type CertificateProblem = "untrusted" | "wrong_host" | "expired" | "other";

/**
 * The server's TLS certificate was refused during the handshake. Node writes a request only once the handshake has
 * succeeded, so none was sent; nor is it sent again, since another attempt meets the same certificate.
 */
export class CertificateError extends Error {
  constructor(
    readonly endpoint: string,
    readonly problem: CertificateProblem,
    /** Node's (OpenSSL's) code, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE, and its message. */
    readonly code: string,
    readonly reason: string,
  ) {
    super(`the TLS certificate of ${endpoint} was refused: ${CERTIFICATE_PROBLEMS[problem]} (${code}: ${reason})`);
  }
}

const CERTIFICATE_PROBLEMS: Record<CertificateProblem, string> = {
  untrusted: "it could not be verified against the certificate authorities this process trusts",
  wrong_host: "it is not valid for the endpoint's host name",
  expired: "it has expired or is not yet valid",
  other: "it is not acceptable",
};

/** OpenSSL's verification codes and Node's host name check, by remedy; any other certificate code is "other". */
const CERTIFICATE_CODES: Record<string, CertificateProblem> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT: "untrusted",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "untrusted",
  SELF_SIGNED_CERT_IN_CHAIN: "untrusted",
  DEPTH_ZERO_SELF_SIGNED_CERT: "untrusted",
  CERT_UNTRUSTED: "untrusted",
  ERR_TLS_CERT_ALTNAME_INVALID: "wrong_host",
  HOSTNAME_MISMATCH: "wrong_host",
  CERT_HAS_EXPIRED: "expired",
  CERT_NOT_YET_VALID: "expired",
  CERT_SIGNATURE_FAILURE: "other",
  CERT_REJECTED: "other",
  CERT_REVOKED: "other",
  CERT_CHAIN_TOO_LONG: "other",
  INVALID_CA: "other",
  INVALID_PURPOSE: "other",
  PATH_LENGTH_EXCEEDED: "other",
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: "other",
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: "other",
  ERROR_IN_CERT_NOT_BEFORE_FIELD: "other",
  ERROR_IN_CERT_NOT_AFTER_FIELD: "other",
  ERR_TLS_CERT_ALTNAME_FORMAT: "other",
};

/** The certificate error of a failed exchange (its `cause`, see http.ts), or undefined for any other failure. */
export function certificateError(endpoint: string, err: unknown): CertificateError | undefined {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === "string" ? cause.code : undefined;
  const problem = code === undefined ? undefined : CERTIFICATE_CODES[code];
  return problem && new CertificateError(endpoint, problem, code!, String(cause!.message));
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
