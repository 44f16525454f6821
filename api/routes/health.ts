// GET /health: liveness, no token.
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { HealthSchema } from "../schemas.ts";

export const healthRoute = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Liveness check (no token)",
  responses: {
    200: { description: "The API is up.", content: { "application/json": { schema: HealthSchema } } },
  },
});

export function registerHealthRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
}
