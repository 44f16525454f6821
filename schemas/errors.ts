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
  bad_request: { status: 400, meaning: "the request body could not be read (other than malformed JSON)" },
  missing_token: { status: 401, meaning: "no API key (`WWW-Authenticate: Bearer`)" },
  invalid_token: { status: 401, meaning: "an unknown or malformed API key" },
  revoked_token: { status: 401, meaning: "a revoked API key (its holder is told, so it knows to use another)" },
  expired_token: { status: 401, meaning: "an API key past its `expires_at`" },
  forbidden: { status: 403, meaning: "the key's role may not do this" },
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
  precondition_failed: { status: 412, meaning: "`If-Match` is stale; nothing was changed" },
  payload_too_large: { status: 413, meaning: "body over 16 KiB" },
  unsupported_media_type: { status: 415, meaning: "a body-taking route without `Content-Type: application/json` (or `+json`)" },
  precondition_required: { status: 428, meaning: "a settings or trusted profile PUT without `If-Match`" },
  too_many_failed_attempts: { status: 429, meaning: "too many failed authentications from this address (with `Retry-After`)" },
  expires_at_in_past: { status: 422, meaning: "a new API key's `expires_at` is not in the future" },
  internal_error: { status: 500, meaning: "a bug; the body has no internals, the server log has the trace id and the stack" },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, in catalogue order (by status): the enum of the error body's `code`. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

/** The HTTP status a code is answered with. */
export type StatusOf<C extends ErrorCode> = (typeof ERROR_CODES)[C]["status"];
