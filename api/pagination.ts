// Bounded answers (issue #12): every list is read a page at a time, `?limit=N&cursor=C`. The answer's `next_cursor`
// continues where the page ended (null: that was the last page). A cursor names the position after which the next
// page starts (keyset pagination), so it stays valid while entries are added or removed. Clients treat it as
// opaque; the document states each list's cursor syntax exactly, and every cursor of that syntax is a position, so
// nothing the document allows is refused (a made-up position just starts the page there).
import { z } from "@hono/zod-openapi";
import { decimalRangePattern } from "./decimal-pattern.ts";

export interface PageLimit {
  default: number;
  max: number;
}

/** The documented page sizes. */
export const PAGE_LIMITS = {
  history: { default: 50, max: 500 },
  trustedProfiles: { default: 100, max: 500 },
  members: { default: 100, max: 500 },
  apiKeys: { default: 100, max: 500 },
  identityApiKeys: { default: 100, max: 500 },
  invitations: { default: 100, max: 500 },
  sessions: { default: 100, max: 500 },
} as const satisfies Record<string, PageLimit>;

/** GET …/settings/identity?include_history=true carries at most this many entries (the newest). */
export const MAX_EMBEDDED_HISTORY = 100;

/** How a list's position is written in a cursor, and read back. */
export interface CursorCodec<P> {
  pattern: string;
  encode(position: P): string;
  decode(cursor: string): P;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url").toString("utf8");
const B64_FIELD = "[A-Za-z0-9_-]{1,172}";

/** A version number (the history, newest first: the page after version v holds versions below v). */
export const versionCursor: CursorCodec<number> = {
  pattern: `^(?:${decimalRangePattern(1, 999_999_999_999_999)})$`,
  encode: (v) => String(v),
  decode: (c) => Number(c),
};

/** One text key (members, by iam_id). */
export const textCursor: CursorCodec<string> = {
  pattern: `^${B64_FIELD}$`,
  encode: b64,
  decode: unb64,
};

/** Two text keys (trusted profiles, by creation time then id). */
export const pairCursor: CursorCodec<[string, string]> = {
  pattern: `^${B64_FIELD}\\.${B64_FIELD}$`,
  encode: ([a, b]) => `${b64(a)}.${b64(b)}`,
  decode: (c) => {
    const [a, b] = c.split(".") as [string, string];
    return [unb64(a), unb64(b)];
  },
};

/** A time in milliseconds since the epoch and a text key (sessions and identity API keys, by creation time then id). */
export const timeTextCursor: CursorCodec<[number, string]> = {
  pattern: `^(?:${decimalRangePattern(0, 999_999_999_999_999)})\\.${B64_FIELD}$`,
  encode: ([t, id]) => `${t}.${b64(id)}`,
  decode: (c) => {
    const [t, id] = c.split(".") as [string, string];
    return [Number(t), unb64(id)];
  },
};

/** `next_cursor` of a page: the encoded position, or null on the last page. */
export function nextCursor<P>(codec: CursorCodec<P>, next: P | undefined): string | null {
  return next === undefined ? null : codec.encode(next);
}

/** The position a page starts after (null: the first page). */
export function afterOf<P>(codec: CursorCodec<P>, cursor: string | undefined): P | null {
  return cursor === undefined ? null : codec.decode(cursor);
}

export function pageQuerySchema<P>(limit: PageLimit, cursor: CursorCodec<P>) {
  const limitRule = `limit: must be a whole number from 1 to ${limit.max}`;
  const limitPattern = `^(?:${decimalRangePattern(1, limit.max)})$`;
  return z.object({
    limit: z
      .string()
      .regex(new RegExp(limitPattern), { error: limitRule })
      .optional()
      .openapi({
        param: { name: "limit", in: "query" },
        description: `How many entries per page: 1 to ${limit.max} (default ${limit.default}).`,
        pattern: limitPattern,
        example: String(limit.default),
      }),
    cursor: z
      .string()
      .regex(new RegExp(cursor.pattern), { error: "cursor: must be the next_cursor of an earlier page of this list" })
      .optional()
      .openapi({
        param: { name: "cursor", in: "query" },
        description: "The `next_cursor` of the previous page; omit for the first page.",
        pattern: cursor.pattern,
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

/** Splits `rows` (read with limit + 1) into the page and the position its next page starts after. */
export function pageOf<R, P>(rows: R[], limit: number, position: (last: R) => P): { items: R[]; next: P | undefined } {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? position(items.at(-1)!) : undefined };
}
