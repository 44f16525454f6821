// The API's error format and the helpers that build it. Every caller mistake becomes
// {"errors":[{code,message,target?}],"status_code","trace"}; nothing internal (stack, SQL) ever reaches a client.
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";
import { TRUSTED_PROFILE_SESSION_DURATION, anySettingByName } from "../schemas/settings.ts";
import type { AppEnv } from "./context.ts";

export type ErrorTargetType = "field" | "header" | "parameter" | "body";

export interface ErrorTarget {
  type: ErrorTargetType;
  name: string;
}

export interface ErrorItem {
  code: string;
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

export function errorResponse(c: Context<AppEnv>, status: ContentfulStatusCode, items: ErrorItem[], headers: Record<string, string> = {}) {
  const body: ErrorBody = { errors: items, status_code: status, trace: c.get("requestId") ?? "" };
  for (const [k, v] of Object.entries(headers)) c.header(k, v);
  return c.json(body, status);
}

// --- common errors --------------------------------------------------------------------------------------------

export const WWW_AUTHENTICATE = 'Bearer realm="iamsession"';

export function unauthorized(why: "missing" | "invalid"): ApiError {
  return new ApiError(
    401,
    {
      code: why === "missing" ? "missing_token" : "invalid_token",
      message:
        why === "missing"
          ? "authentication required: send an API key as 'Authorization: Bearer <key>'"
          : "the API key is not valid",
      target: { type: "header", name: "Authorization" },
    },
    { "WWW-Authenticate": why === "missing" ? WWW_AUTHENTICATE : `${WWW_AUTHENTICATE}, error="invalid_token"` },
  );
}

export function notFound(what: string, target?: ErrorTarget): ApiError {
  return new ApiError(404, { code: "not_found", message: `${what} not found`, ...(target ? { target } : {}) });
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, { code: "forbidden", message });
}

// --- mapping of framework errors ------------------------------------------------------------------------------

/** Maps an HTTPException thrown by hono or a middleware (malformed JSON, 415, 413) to the error format. */
export function fromHttpException(err: HTTPException): ApiError {
  const status = err.status as ContentfulStatusCode;
  switch (status) {
    case 400:
      if (/malformed json/i.test(err.message)) {
        return new ApiError(400, {
          code: "malformed_json",
          message: "the request body is not valid JSON",
          target: { type: "body", name: "body" },
        });
      }
      return new ApiError(400, { code: "bad_request", message: "the request is not valid", target: { type: "body", name: "body" } });
    case 413:
      return payloadTooLarge();
    case 415:
      return unsupportedMediaType();
    default:
      return new ApiError(status, { code: `http_${status}`, message: err.message || "request failed" });
  }
}

export function payloadTooLarge(limitBytes?: number): ApiError {
  return new ApiError(413, {
    code: "payload_too_large",
    message: limitBytes ? `the request body is larger than ${limitBytes} bytes` : "the request body is too large",
    target: { type: "body", name: "body" },
  });
}

export function unsupportedMediaType(): ApiError {
  return new ApiError(415, {
    code: "unsupported_media_type",
    message: "the request body must be JSON, sent with 'Content-Type: application/json'",
    target: { type: "header", name: "Content-Type" },
  });
}

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
    const name = path.length ? path.join(".") : "body";
    const isSetting =
      path.length === 1 && (anySettingByName(path[0]!) !== undefined || path[0] === TRUSTED_PROFILE_SESSION_DURATION.name);
    items.push({
      code: isSetting ? "invalid_setting_value" : targetType === "body" ? "invalid_body" : `invalid_${targetType}`,
      message: issue.message,
      target: { type: targetType, name },
    });
  }
  return items;
}
