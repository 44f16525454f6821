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
    description:
      "An API key (`iams_` + 43 base64url characters), a session token (`iamss_`, from a CLI login) or an access token (`iamat_`, from POST /v1/tokens).",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "SessionCookie", {
    type: "apiKey",
    in: "cookie",
    name: "__Host-iamsession",
    description: "The console's session cookie (set by a console login). Changing requests must send an Origin of this server.",
  });
}

export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  return app.getOpenAPI31Document(OPENAPI_OBJECT_CONFIG);
}
