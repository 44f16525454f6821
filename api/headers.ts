// Response headers every answer carries. Hono's secure-headers middleware sets X-Content-Type-Options: nosniff (and
// its other defaults: no referrer, same-origin opener and resource policies), with X-Frame-Options DENY rather than
// its default SAMEORIGIN: no answer of this API is meant to be framed, not even by the API's own pages, which is
// what the console's and the reference's CSP say too (frame-ancestors 'none'). Cache-Control: no-store keeps any
// answer, all of which are about one caller's tenants or carry a key once, out of shared and browser caches.
import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";
import type { AppEnv } from "./context.ts";

export function securityHeaders(): MiddlewareHandler<AppEnv>[] {
  return [
    secureHeaders({ xFrameOptions: "DENY" }),
    async (c, next) => {
      await next();
      c.res.headers.set("Cache-Control", "no-store");
    },
  ];
}
