// Bounded answers (issue #12): every list is read a page at a time, `?limit=N&cursor=C`. The answer's `next_cursor`
// continues where the page ended (null: that was the last page). A cursor is opaque to clients: base64url JSON of
// the list it belongs to and the position after which the next page starts, so it stays valid while entries are
// added or removed.
import { z } from "@hono/zod-openapi";
import { apiError, type ApiError } from "./errors.ts";

export interface PageLimit {
  default: number;
  max: number;
}

/** The documented page sizes. */
export const PAGE_LIMITS = {
  history: { default: 50, max: 500 },
  trustedProfiles: { default: 100, max: 500 },
  members: { default: 100, max: 500 },
} as const satisfies Record<string, PageLimit>;

/** GET …/settings/identity?include_history=true carries at most this many entries (the newest). */
export const MAX_EMBEDDED_HISTORY = 100;

const MAX_CURSOR_LENGTH = 512;

export function pageQuerySchema(limit: PageLimit) {
  return z.object({
    limit: z
      .string()
      .regex(/^[1-9][0-9]{0,3}$/, { error: `limit: must be a whole number from 1 to ${limit.max}` })
      .refine((v) => Number(v) <= limit.max, { error: `limit: must be a whole number from 1 to ${limit.max}` })
      .optional()
      .openapi({
        param: { name: "limit", in: "query" },
        description: `How many entries per page: 1 to ${limit.max} (default ${limit.default}).`,
        example: String(limit.default),
      }),
    cursor: z
      .string()
      .max(MAX_CURSOR_LENGTH)
      .regex(/^[A-Za-z0-9_-]+$/, { error: "cursor: must be a next_cursor from an earlier page" })
      .optional()
      .openapi({
        param: { name: "cursor", in: "query" },
        description: "The `next_cursor` of the previous page; omit for the first page.",
      }),
  });
}

export const nextCursorField = z
  .string()
  .nullable()
  .openapi({ description: "Pass as `cursor` to get the next page; null on the last page." });

export function pageSize(limit: string | undefined, defaults: PageLimit): number {
  return limit === undefined ? defaults.default : Number(limit);
}

/** A cursor for the page after `position` in the list named `list`. */
export function encodeCursor(list: string, position: unknown): string {
  return Buffer.from(JSON.stringify({ l: list, p: position }), "utf8").toString("base64url");
}

function invalidCursor(): ApiError {
  return apiError("invalid_cursor", "cursor is not a next_cursor of this list; start again without a cursor", {
    type: "parameter",
    name: "cursor",
  });
}

/** The position in a cursor of the list `list`, checked by `valid`; 400 invalid_cursor otherwise. */
export function decodeCursor<T>(cursor: string | undefined, list: string, valid: (p: unknown) => p is T): T | undefined {
  if (cursor === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalidCursor();
  }
  const { l, p } = (parsed ?? {}) as { l?: unknown; p?: unknown };
  if (l !== list || !valid(p)) throw invalidCursor();
  return p;
}

/** Splits `rows` (read with limit + 1) into the page and the position its next page starts after. */
export function pageOf<R, P>(rows: R[], limit: number, position: (last: R) => P): { items: R[]; next: P | undefined } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? position(items.at(-1)!) : undefined };
}
