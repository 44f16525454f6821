// Response headers every answer carries. Hono's secure-headers middleware sets X-Content-Type-Options: nosniff (and
// its other defaults: no framing, no referrer, same-origin resource policy); Cache-Control: no-store keeps any
// answer, all of which are about one caller's tenants or carry a key once, out of shared and browser caches.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context.ts";

export function securityHeaders(): MiddlewareHandler<AppEnv>[] {
  return [
    secureHeaders(),
    async (c, next) => {
      await next();
      c.res.headers.set("Cache-Control", "no-store");
    },
  ];
}
