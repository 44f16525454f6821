// GET /health: liveness, no token (mounted at /health).
import { createRoute } from "@hono/zod-openapi";
import { HealthSchema } from "../schemas.ts";
import { PUBLIC, resourceApp } from "./resource.ts";

export const healthRoute = createRoute({
  method: "get",
  path: "/",
  operationId: "getHealth",
  tags: ["Health"],
  summary: "Liveness check (no token)",
  responses: {
    200: { description: "The API is up.", content: { "application/json": { schema: HealthSchema } } },
  },
});

export function healthApp() {
  const app = resourceApp(PUBLIC);
  app.openapi(healthRoute, (c) => c.json({ status: "ok" as const }, 200));
  return app;
}
