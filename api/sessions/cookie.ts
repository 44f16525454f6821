// The console's session cookie. `__Host-` makes the browser insist on Secure, Path=/ and no Domain, so no other
// host or path can set or shadow it; HttpOnly keeps it from scripts; SameSite=Lax keeps it off cross-site
// subrequests. No Max-Age/Expires: the server's limits decide when a session ends, never the cookie's expiry.
// Plain-HTTP development works on http://localhost and http://127.0.0.1, where browsers treat Secure cookies as
// sent over a secure context (see docs/sessions.md).
import type { Context } from "hono";
import { getCookie } from "hono/cookie";

export const SESSION_COOKIE = "__Host-iamsession";
const ATTRIBUTES = "Secure; HttpOnly; SameSite=Lax; Path=/";

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; ${ATTRIBUTES}`;
}

/** Tells the browser to drop the cookie: same name and attributes, empty value, expiry in the past. */
export const CLEARING_COOKIE = `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT`;

export function readSessionCookie(c: Context): string | undefined {
  const v = getCookie(c, SESSION_COOKIE);
  return v ? v : undefined;
}
