// The API's error format and every factory of its errors, each built from the catalogue in schemas/errors.ts (code
// and status). Every caller mistake becomes {"errors":[{code,message,target?}],"status_code","trace"}; nothing
// internal (stack, SQL) ever reaches a client.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { ERROR_CODES, type ErrorCode } from "../schemas/errors.ts";
import { TRUSTED_PROFILE_SESSION_DURATION, anySettingByName } from "../schemas/settings.ts";
import type { AppEnv } from "./context.ts";

export type { ErrorCode };

export type ErrorTargetType = "field" | "header" | "parameter" | "body";

export interface ErrorTarget {
  type: ErrorTargetType;
  name: string;
}

export interface ErrorItem {
  code: ErrorCode;
  message: string;
  target?: ErrorTarget;
}

export interface ErrorBody {
  errors: ErrorItem[];
  status_code: number;
  trace: string;
}

/** Thrown by handlers and middleware for any error the caller should see; rendered by the app's onError. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly items: ErrorItem[];
  readonly headers: Record<string, string>;

  constructor(status: ContentfulStatusCode, items: ErrorItem | ErrorItem[], headers: Record<string, string> = {}) {
    const list = Array.isArray(items) ? items : [items];
    super(list.map((i) => i.message).join("; "));
    this.name = "ApiError";
    this.status = status;
    this.items = list;
    this.headers = headers;
  }
}

/** One error of the catalogue: its status comes from the code. */
export function apiError(code: ErrorCode, message: string, target?: ErrorTarget, headers: Record<string, string> = {}): ApiError {
  return new ApiError(ERROR_CODES[code].status as ContentfulStatusCode, { code, message, ...(target ? { target } : {}) }, headers);
}

export function errorResponse(c: Context<AppEnv>, status: ContentfulStatusCode, items: ErrorItem[], headers: Record<string, string> = {}) {
  const body: ErrorBody = { errors: items, status_code: status, trace: c.get("requestId") ?? "" };
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(body, status);
}

/** Renders an ApiError in the error format. */
export function apiErrorResponse(c: Context<AppEnv>, err: ApiError) {
  return errorResponse(c, err.status, err.items, err.headers);
}

// --- authentication and access --------------------------------------------------------------------------------

export const WWW_AUTHENTICATE = 'Bearer realm="iamsession"';

const UNAUTHORIZED = {
  missing: { code: "missing_token", message: "authentication required: send an API key as 'Authorization: Bearer <key>'" },
  invalid: { code: "invalid_token", message: "the API key is not valid" },
  // Told apart for the key's holder only (whoever sends a key knows it): what to do about it differs.
  revoked: { code: "revoked_token", message: "the API key has been revoked; use another key" },
  expired: { code: "expired_token", message: "the API key has expired; use another key" },
} as const satisfies Record<string, { code: ErrorCode; message: string }>;

export function unauthorized(why: keyof typeof UNAUTHORIZED): ApiError {
  return apiError(UNAUTHORIZED[why].code, UNAUTHORIZED[why].message, { type: "header", name: "Authorization" }, {
    "WWW-Authenticate": why === "missing" ? WWW_AUTHENTICATE : `${WWW_AUTHENTICATE}, error="invalid_token"`,
  });
}

export function forbidden(message: string): ApiError {
  return apiError("forbidden", message);
}

// --- not found ------------------------------------------------------------------------------------------------

export function notFound(what: string, target?: ErrorTarget): ApiError {
  return apiError("not_found", `${what} not found`, target);
}

export function accountNotFound(accountId: string): ApiError {
  return notFound(`account "${accountId}"`, { type: "parameter", name: "account_id" });
}

export function enterpriseNotFound(enterpriseId: string, target: "parameter" | "field" = "parameter"): ApiError {
  return notFound(`enterprise "${enterpriseId}"`, { type: target, name: "enterprise_id" });
}

/** The account exists (and the caller may see it) but belongs to no enterprise: its link does not exist. */
export function notLinked(accountId: string): ApiError {
  return apiError("not_linked", `account ${accountId} belongs to no enterprise; link it with PUT`, { type: "parameter", name: "account_id" });
}

/** A well-formed expires_at that is already past: the request is understood, but the clock refuses it. */
export function expiresAtInPast(): ApiError {
  return apiError("expires_at_in_past", "expires_at: must be in the future", { type: "field", name: "expires_at" });
}

export function identityNotFound(iamId: string): ApiError {
  return notFound(`identity "${iamId}"`, { type: "parameter", name: "iam_id" });
}

export function profileNotFound(profileId: string): ApiError {
  return notFound(`trusted profile "${profileId}"`, { type: "parameter", name: "profile_id" });
}

/** No route at this path (the app's notFound handler). */
export function routeNotFound(method: string, path: string): ApiError {
  return apiError("not_found", `no route for ${method} ${path}`);
}

export function methodNotAllowed(method: string, allow: string): ApiError {
  return apiError("method_not_allowed", `${method} is not allowed here; allowed: ${allow}`, undefined, { Allow: allow });
}

// --- writes ---------------------------------------------------------------------------------------------------

/** A create whose id exists: `an <noun> with <field> "<id>" already exists`. */
export function conflict(noun: "account" | "enterprise" | "identity", field: string, id: string): ApiError {
  return apiError("conflict", `an ${noun} with ${field} "${id}" already exists`, { type: "field", name: field });
}

export function preconditionRequired(): ApiError {
  return apiError("precondition_required", 'If-Match is required: send the current entity_tag (from a GET) or "*"', {
    type: "header",
    name: "If-Match",
  });
}

/** If-Match is there but not in the accepted syntax (schemas' IF_MATCH_PATTERN, stated in the OpenAPI document). */
export function malformedIfMatch(rule: string): ApiError {
  return apiError("invalid_header", `If-Match: must be ${rule}`, { type: "header", name: "If-Match" });
}

/**
 * If-Match is stale. `what` names the thing written, as the sentence's subject ("the account's settings", plural,
 * or "the trusted profile").
 */
export function preconditionFailed(what: { subject: string; plural: boolean }): ApiError {
  const [has, it] = what.plural ? ["have", "them"] : ["has", "it"];
  return apiError(
    "precondition_failed",
    `${what.subject} ${has} changed since the entity_tag in If-Match was read; read ${it} again and retry`,
    { type: "header", name: "If-Match" },
  );
}

export function payloadTooLarge(limitBytes?: number): ApiError {
  return apiError(
    "payload_too_large",
    limitBytes ? `the request body is larger than ${limitBytes} bytes` : "the request body is too large",
    { type: "body", name: "body" },
  );
}

export function unsupportedMediaType(): ApiError {
  return apiError("unsupported_media_type", "the request body must be JSON, sent with 'Content-Type: application/json'", {
    type: "header",
    name: "Content-Type",
  });
}

export function internalError(): ApiError {
  return apiError("internal_error", "internal error; the trace identifies this request in the server log");
}

// --- mapping of framework errors ------------------------------------------------------------------------------

/**
 * Maps an HTTPException thrown by hono or a middleware (malformed JSON, 415, 413) to the error format; undefined for
 * any other, which is then a bug of ours (answered as internal_error).
 */
export function fromHttpException(err: HTTPException): ApiError | undefined {
  switch (err.status) {
    case 400:
      return /malformed json/i.test(err.message)
        ? apiError("malformed_json", "the request body is not valid JSON", { type: "body", name: "body" })
        : apiError("bad_request", "the request is not valid", { type: "body", name: "body" });
    case 413:
      return payloadTooLarge();
    case 415:
      return unsupportedMediaType();
    default:
      return undefined;
  }
}

const INVALID_CODE: Record<ErrorTargetType, ErrorCode> = {
  body: "invalid_body",
  field: "invalid_field",
  header: "invalid_header",
  parameter: "invalid_parameter",
};

/**
 * Maps zod issues to error items. `source` is what was validated (json body, query, params, headers).
 * Setting values carry the message from checkSettingValue (the setting's name and valid values).
 */
export function fromZodIssues(source: string, issues: readonly z.core.$ZodIssue[]): ErrorItem[] {
  const items: ErrorItem[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String);
    const targetType: ErrorTargetType =
      source === "json" ? (path.length === 0 ? "body" : "field") : source === "header" ? "header" : "parameter";
    if (issue.code === "unrecognized_keys") {
      const prefix = path.length ? `${path.join(".")}.` : "";
      for (const key of issue.keys) {
        items.push({
          code: source === "json" ? "unknown_field" : "unknown_parameter",
          message: issue.message.includes("{key}") ? issue.message.replaceAll("{key}", `${prefix}${key}`) : `unknown field "${prefix}${key}"`,
          target: { type: targetType === "body" ? "field" : targetType, name: `${prefix}${key}` },
        });
      }
      continue;
    }
    // Header names as HTTP writes them (If-Match), the same as the errors the middleware raises.
    const joined = path.length ? path.join(".") : "body";
    const name = targetType === "header" ? joined.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase()) : joined;
    const isSetting =
      path.length === 1 && (anySettingByName(path[0]!) !== undefined || path[0] === TRUSTED_PROFILE_SESSION_DURATION.name);
    items.push({
      code: isSetting ? "invalid_setting_value" : INVALID_CODE[targetType],
      message: issue.message,
      target: { type: targetType, name },
    });
  }
  return items;
}

/**
 * Another connection held the database's write lock for longer than the write's budget (or, rarely in WAL mode,
 * kept a read from starting): nothing was written; the caller may retry after Retry-After seconds.
 */
export function databaseBusy(): ApiError {
  return apiError(
    "database_busy",
    "the database is locked by another connection (another API process, a backup or an admin command); nothing was written; retry after Retry-After seconds",
    undefined,
    { "Retry-After": "1" },
  );
}
