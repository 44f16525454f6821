// Turns client failures into diagnostics a Terraform user can act on. A message never claims that nothing was
// changed unless that is known: after a write whose outcome is open, it says the change MAY have been applied.
import { DiagnosticError } from "../framework/index.ts";
import { ApiError, CertificateError, ConnectionError, UncertainWriteError } from "../../client/index.ts";

/** What to run to see what the server holds after an uncertain write. */
export const CHECK_WITH_PLAN =
  "Run `terraform plan` (or `tofu plan`) to see what the server holds now, then apply again if it still differs.";

export function toDiagnostic(err: unknown, action: string): DiagnosticError {
  if (err instanceof DiagnosticError) return err;
  if (err instanceof UncertainWriteError) return mayHaveBeenApplied(action, err, CHECK_WITH_PLAN);
  if (err instanceof CertificateError) return certificateRefused(err, action);
  if (err instanceof ConnectionError) {
    return new DiagnosticError(
      `Cannot reach the iamsession API at ${err.endpoint}`,
      `${action} failed: ${err.message}. Check the provider's endpoint (or IAMSESSION_ENDPOINT) and that the API is running.` +
        (err.certainlyNotSent
          ? " No request reached the API, so nothing was changed."
          : err.method && err.method !== "GET"
            ? ` A request may have reached the API, so the change MAY have been applied. ${CHECK_WITH_PLAN}`
            : ""),
    );
  }
  if (err instanceof ApiError) {
    if (err.status === 401) {
      return new DiagnosticError(
        "The iamsession API rejected the token (401 Unauthorized)",
        `${action} failed: the provider's token (or IAMSESSION_TOKEN) is missing, wrong, revoked or expired. ${err.apiMessage}`,
      );
    }
    if (err.status === 403) {
      return new DiagnosticError(
        "The token's role does not allow this (403 Forbidden)",
        `${action} failed: ${err.apiMessage}. Writing settings needs an editor, administrator or owner key.`,
      );
    }
    if (err.status === 429) {
      return new DiagnosticError(
        "Too many failed authentications from this machine (429 Too Many Requests)",
        `${action} failed: ${err.apiMessage} Fix the provider's token (or IAMSESSION_TOKEN); a valid token is never throttled.`,
      );
    }
    if (err.status >= 500 && err.method !== "GET" && err.code !== "database_busy") {
      return mayHaveBeenApplied(action, err, CHECK_WITH_PLAN);
    }
    return new DiagnosticError(`${action} failed (HTTP ${err.status} ${err.code})`, err.message);
  }
  return new DiagnosticError(`${action} failed`, err instanceof Error ? err.message : String(err));
}

/**
 * The API's TLS certificate refused: what the provider trusts, and what to change for each kind of refusal. The
 * provider process is Node: it trusts Node's bundled Mozilla CA list, plus the PEM file NODE_EXTRA_CA_CERTS names
 * (read at start; the CLIs pass their environment on), plus the system's store with --use-system-ca.
 */
function certificateRefused(err: CertificateError, action: string): DiagnosticError {
  const refused = `${action} failed: the provider's \`endpoint\` (or IAMSESSION_ENDPOINT) is ${err.endpoint}, and`;
  const node = `(${err.code}: ${err.reason})`;
  const nothingSent = "No request was sent, so nothing was changed.";
  switch (err.problem) {
    case "untrusted":
      return new DiagnosticError(
        `The TLS certificate of the iamsession API at ${err.endpoint} is not trusted`,
        `${refused} the server's certificate could not be verified against the certificate authorities the provider ` +
          `trusts ${node}. The provider trusts Node.js's bundled Mozilla CA certificates, those in the PEM file named ` +
          "by the NODE_EXTRA_CA_CERTS environment variable of terraform or tofu, and, with " +
          "NODE_OPTIONS=--use-system-ca, the operating system's certificate store. If the API's certificate comes " +
          "from a private CA, set NODE_EXTRA_CA_CERTS to a PEM file holding that CA's certificate and run again; if " +
          `it names that CA already, check that the server sends its intermediate certificates. ${nothingSent}`,
      );
    case "wrong_host":
      return new DiagnosticError(
        `The TLS certificate of the iamsession API at ${err.endpoint} is for another host name`,
        `${refused} the server's certificate does not name that host ${node}. Set \`endpoint\` to a host name the ` +
          `certificate names, or have the server's certificate issued for this one (trusting another certificate ` +
          `authority does not change this). ${nothingSent}`,
      );
    case "expired":
      return new DiagnosticError(
        `The TLS certificate of the iamsession API at ${err.endpoint} is expired or not yet valid`,
        `${refused} the server's certificate is outside its validity period ${node}. Renew the server's ` +
          `certificate, or check this machine's clock. ${nothingSent}`,
      );
    case "other":
      return new DiagnosticError(
        `The TLS certificate of the iamsession API at ${err.endpoint} was refused`,
        `${refused} the server's certificate was refused ${node}. ${nothingSent}`,
      );
  }
}

/** A write that failed in a way that leaves open whether the API applied it, and that reading back did not confirm. */
export function mayHaveBeenApplied(action: string, err: unknown, whatToRun: string): DiagnosticError {
  const reason = err instanceof UncertainWriteError ? err.message : err instanceof Error ? err.message : String(err);
  return new DiagnosticError(
    `${action}: the change MAY have been applied`,
    `${action} did not complete (${reason}). The request may have reached the iamsession API, so the change MAY ` +
      `have been applied, and reading it back could not confirm it. ${whatToRun}`,
  );
}

/** Runs one API call and turns its failure into a diagnostic that says what was being done. */
export async function withDiagnostic<T>(fn: () => Promise<T>, action: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDiagnostic(err, action);
  }
}
