// The catalogue of the API's error codes: every `code` an error body can carry, with its HTTP status and what it
// means. The API builds its errors from it (api/errors.ts), its zod schema and the OpenAPI document list the codes as
// an enum, and the table in docs/api.md is generated from it (scripts/generators/error-codes.ts). Add a code here
// first. Imports nothing of the project.

export interface ErrorCodeEntry {
  status: number;
  /** When the API answers it, in a few words (the docs table's "when" column). */
  meaning: string;
}

export const ERROR_CODES = {
  invalid_setting_value: { status: 400, meaning: "a setting's value is not valid (one error per bad setting)" },
  unknown_field: { status: 400, meaning: "a field the body may not have (one error per field)" },
  unknown_parameter: { status: 400, meaning: "a query or path parameter the route does not have" },
  invalid_field: { status: 400, meaning: "a body field's value is not valid (name, role, account_id, …)" },
  invalid_body: { status: 400, meaning: "the body is not a JSON object of the expected shape" },
  invalid_parameter: { status: 400, meaning: "a query or path parameter's value is not valid (`include_history`, …)" },
  invalid_header: { status: 400, meaning: "a header's value is not valid (`If-Match` outside its syntax, …)" },
  malformed_json: { status: 400, meaning: "the body is not JSON (including an empty body)" },
  invalid_idempotency_key: { status: 400, meaning: "a malformed `Idempotency-Key` (a quoted string of 1 to 255 printable ASCII characters)" },
  idempotency_key_not_supported: { status: 400, meaning: "a login or token request carries `Idempotency-Key`: its answer holds a secret that is never stored, so it cannot be replayed" },
  bad_request: { status: 400, meaning: "the request body could not be read (other than malformed JSON)" },

  missing_token: { status: 401, meaning: "no API key (`WWW-Authenticate: Bearer`)" },
  invalid_token: { status: 401, meaning: "an unknown or malformed API key" },
  revoked_token: { status: 401, meaning: "a revoked API key (its holder is told, so it knows to use another)" },
  expired_token: { status: 401, meaning: "an API key past its `expires_at`" },
  invalid_credentials: { status: 401, meaning: "a login or token request with a wrong password, an unknown identity, or a wrong or revoked key" },
  // A session that has ended answers its end reason as the code (docs/sessions.md), with the clearing cookie.
  logout: { status: 401, meaning: "the session was logged out" },
  idle_timeout: { status: 401, meaning: "the session was idle longer than the inactivity limit" },
  lifetime_expired: { status: 401, meaning: "the session reached its maximum lifetime" },
  ended_by_self: { status: 401, meaning: "the identity ended the session" },
  ended_by_admin: { status: 401, meaning: "an administrator ended the session" },
  evicted_by_limit: { status: 401, meaning: "a newer login of the identity reached the concurrent-session limit and ended this session" },
  membership_removed: { status: 401, meaning: "the identity is no longer a member of the session's account" },
  credential_changed: { status: 401, meaning: "the identity's password was changed" },
  key_revoked: { status: 401, meaning: "the API key the session was created with was revoked" },
  forbidden: { status: 403, meaning: "the key's role may not do this" },
  not_a_session: { status: 403, meaning: "a /v1/session route called with an API key or access token instead of a session" },
  console_login_not_allowed: { status: 403, meaning: "a service ID's console login (it logs in by CLI and gets a token, no session)" },
  invalid_current_password: { status: 403, meaning: "an identity changing its own password gave a wrong current_password" },
  not_found: {
    status: 404,
    meaning: "unknown route, or an account, enterprise, identity or trusted profile that does not exist or is not visible to the key",
  },
  not_linked: { status: 404, meaning: "`GET …/accounts/{account_id}/enterprise` of an account that belongs to no enterprise" },
  method_not_allowed: { status: 405, meaning: "known path, other method (with `Allow`)" },
  conflict: { status: 409, meaning: "the `account_id`, `enterprise_id` or `iam_id` exists" },
  last_platform_key: { status: 409, meaning: "revoking the last active platform administrator key through the API" },
  invitation_expired: { status: 409, meaning: "answering an invitation past its `expires_at`" },
  invitation_not_pending: { status: 409, meaning: "answering an invitation already accepted, declined or revoked" },
  idempotency_key_in_use: { status: 409, meaning: "a request with this `Idempotency-Key` is still being processed; retry" },
  session_limit_reached: { status: 409, meaning: "a login refused because the identity holds max_sessions_per_identity sessions and the action is DENY_NEW" },
  precondition_failed: { status: 412, meaning: "`If-Match` is stale; nothing was changed" },
  payload_too_large: { status: 413, meaning: "body over 16 KiB" },
  unsupported_media_type: { status: 415, meaning: "a body-taking route without `Content-Type: application/json` (or `+json`)" },
  idempotency_key_reused: { status: 422, meaning: "this `Idempotency-Key` was used (within 24 hours) for a different request" },
  precondition_required: { status: 428, meaning: "a settings or trusted profile PUT without `If-Match`" },
  too_many_failed_attempts: { status: 429, meaning: "too many failed authentications from this address (with `Retry-After`)" },
  expires_at_in_past: { status: 422, meaning: "a new API key's `expires_at` is not in the future" },
  internal_error: { status: 500, meaning: "a bug; the body has no internals, the server log has the trace id and the stack" },
  database_busy: {
    status: 503,
    meaning: "another connection held the database's write lock longer than the write's budget; nothing was written (`Retry-After`)",
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, in catalogue order (by status): the enum of the error body's `code`. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** The HTTP status a code is answered with. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"];
