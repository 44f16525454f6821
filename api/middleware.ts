// Cross-cutting request middleware: request ids, the access log, JSON-only bodies, If-Match.
import { randomBytes } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context.ts";
import type { Precondition } from "./db/precondition.ts";
import { preconditionRequired, unsupportedMediaType } from "./errors.ts";

export type LogLine = (line: string) => void;

/**
 * Gives each request an id (the `trace` of error bodies and the X-Request-Id header) and logs one line per request:
 * method, path (no query string), status, duration. Headers, and so keys, are never logged.
 */
export function requestContext(log: LogLine): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const requestId = randomBytes(12).toString("hex");
    c.set("requestId", requestId);
    c.header("X-Request-Id", requestId);
    try {
      await next();
    } finally {
      const ms = (performance.now() - started).toFixed(1);
      log(`${new Date().toISOString()} ${c.req.method} ${c.req.path} ${c.res.status} ${ms}ms ${requestId}`);
    }
  };
}

const JSON_MEDIA_TYPE = /^application\/([\w.-]+\+)?json$/i;

/** Bodies are JSON only: a missing or other Content-Type is 415 (checked before the body is read). */
export function requireJsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const mediaType = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
    if (!JSON_MEDIA_TYPE.test(mediaType)) throw unsupportedMediaType();
    await next();
  };
}

/** Parses If-Match: `*`, or one or more entity tags, quoted or not. Weak tags (W/"…") never match. */
export function parseIfMatch(header: string): Precondition {
  const trimmed = header.trim();
  if (trimmed === "*") return { any: true };
  const tags: string[] = [];
  for (const part of trimmed.split(",")) {
    const t = part.trim();
    if (!t || /^W\//i.test(t)) continue;
    const unquoted = t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
    if (unquoted) tags.push(unquoted);
  }
  return { any: false, tags };
}

/** Requires If-Match (428 without it) and stores the parsed precondition for the handler. */
export function requireIfMatch(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("if-match");
    if (header === undefined || header.trim() === "") {
      throw preconditionRequired();
    }
    c.set("precondition", parseIfMatch(header));
    await next();
  };
}
