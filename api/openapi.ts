// The OpenAPI 3.1 document, generated from the routes' own schemas (scripts/generators/openapi.ts writes the checked-in copy).
import { readFileSync } from "node:fs";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

export const OPENAPI_OBJECT_CONFIG = {
  openapi: "3.1.0",
  info: {
    title: "iamsession settings API",
    version: pkg.version,
    description:
      "Login-session limits of accounts. Setting values travel as strings: a canonical whole number or \"NOT_SET\". " +
      "Every route except /health requires `Authorization: Bearer <API key>`.",
  },
  servers: [{ url: "http://127.0.0.1:8080" }],
};

export function registerOpenApiComponents(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "Bearer", {
    type: "http",
    scheme: "bearer",
    description: "An API key: `iams_` followed by 43 base64url characters.",
  });
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document(OPENAPI_OBJECT_CONFIG);
}
