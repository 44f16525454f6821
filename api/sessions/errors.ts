// The session engine's errors, built from the catalogue in schemas/errors.ts.
import { apiError, type ApiError } from "../errors.ts";
import { CLEARING_COOKIE } from "./cookie.ts";
import { END_REASON_WORDS, type EndReason } from "./model.ts";

/** 401 for a session that has ended, its reason as the code; a request that came with the cookie is told to drop it. */
export function sessionEnded(reason: EndReason | null, viaCookie: boolean): ApiError {
  const headers: Record<string, string> = { "WWW-Authenticate": 'Bearer realm="iamsession", error="invalid_token"' };
  if (viaCookie) headers["Set-Cookie"] = CLEARING_COOKIE;
  const target = { type: "header" as const, name: viaCookie ? "Cookie" : "Authorization" };
  return reason === null
    ? apiError("invalid_token", "the session token is not valid", target, headers)
    : apiError(reason, `the session has ended: ${END_REASON_WORDS[reason]}`, target, headers);
}

export function invalidCredentials(): ApiError {
  return apiError("invalid_credentials", "the credentials are not valid for this account", { type: "body", name: "body" });
}

export function loginField(name: string, message: string): ApiError {
  return apiError("invalid_field", message, { type: "field", name });
}

export function consoleLoginNotAllowed(): ApiError {
  return apiError("console_login_not_allowed", "a service ID cannot log in to the console; use a CLI login with its API key", { type: "field", name: "channel" });
}

export function sessionLimitReached(max: number, source: string): ApiError {
  return apiError(
    "session_limit_reached",
    `the identity already has ${max} active sessions, the most it may have (max_sessions_per_identity from ${source}); end one to log in (max_sessions_exceeded_action is DENY_NEW)`,
  );
}

export function notASession(): ApiError {
  return apiError("not_a_session", "this route needs a session: the console cookie or 'Authorization: Bearer <session token>'", { type: "header", name: "Authorization" });
}

export function invalidCurrentPassword(): ApiError {
  return apiError("invalid_current_password", "current_password is not the identity's password", { type: "field", name: "current_password" });
}

export function currentPasswordRequired(): ApiError {
  return apiError("invalid_field", "current_password: required when an identity changes its own password", { type: "field", name: "current_password" });
}

export function sessionNotFound(id: string): ApiError {
  return apiError("not_found", `session "${id}" not found`, { type: "parameter", name: "session_id" });
}

export function keyNotFound(id: string): ApiError {
  return apiError("not_found", `API key "${id}" not found`, { type: "parameter", name: "key_id" });
}
