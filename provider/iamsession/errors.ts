// Turns client failures into diagnostics a Terraform user can act on.
import { DiagnosticError } from "../framework/index.ts";
import { ApiError, ConnectionError } from "../../client/index.ts";

export function toDiagnostic(err: unknown, action: string): DiagnosticError {
  if (err instanceof DiagnosticError) return err;
  if (err instanceof ConnectionError) {
    return new DiagnosticError(
      `Cannot reach the iamsession API at ${err.endpoint}`,
      `${action} failed: ${err.message}. Check the provider's endpoint (or IAMSESSION_ENDPOINT) and that the API is running. Nothing was changed.`,
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
    return new DiagnosticError(`${action} failed (HTTP ${err.status} ${err.code})`, err.message);
  }
  return new DiagnosticError(`${action} failed`, err instanceof Error ? err.message : String(err));
}

/** Runs one API call and turns its failure into a diagnostic that says what was being done. */
export async function withDiagnostic<T>(fn: () => Promise<T>, action: string): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toDiagnostic(err, action);
  }
}
