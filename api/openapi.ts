// The OpenAPI 3.1 document, generated from the routes' own schemas (scripts/generators/openapi.ts writes the checked-in copy).
import { readFileSync } from "node:fs";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./context.ts";
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from "./idempotency.ts";

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

type Operation = { parameters?: unknown[]; responses?: Record<string, unknown>; security?: unknown[] };

const errorAnswer = (description: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers,
  content: { "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } } },
});

/**
 * The document, with what every write has in common added to each one: the Idempotency-Key header and its answers
 * on every POST (see idempotency.ts), and 503 database_busy on every write (see db/write-queue.ts).
 */
export function openApiDocument(app: OpenAPIHono<AppEnv>) {
  const doc = app.getOpenAPI31Document(OPENAPI_OBJECT_CONFIG);
  for (const item of Object.values(doc.paths ?? {})) {
    for (const method of ["post", "put", "delete"] as const) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (!op) continue;
      op.responses ??= {};
      op.responses["503"] = errorAnswer(
        "The database's write lock was held by another connection for longer than the write's budget; nothing was written. Retry after Retry-After seconds.",
        { "Retry-After": { description: "Seconds to wait before retrying.", schema: { type: "integer" } } },
      );
      // The public POSTs (logins, tokens: no security requirement) refuse an Idempotency-Key (see idempotency.ts).
      if (method !== "post" || op.security === undefined) continue;
      op.parameters = [
        ...(op.parameters ?? []),
        {
          name: IDEMPOTENCY_KEY_HEADER,
          in: "header",
          required: false,
          description:
            "Makes a retried POST safe: the same key (per API key, for 24 hours) with the same request gets the same " +
            "answer again without writing again (Idempotent-Replayed: true). A structured-field string, 1-255 printable " +
            "ASCII characters, e.g. a quoted UUID.",
          schema: { type: "string", pattern: IDEMPOTENCY_KEY_PATTERN },
          example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
        },
      ];
      op.responses["400"] ??= errorAnswer("Invalid request: a bad value, an unknown field, malformed JSON, a malformed Idempotency-Key.");
      op.responses["409"] ??= errorAnswer("Conflict.");
      (op.responses["409"] as { description: string }).description += " Or: a request with this Idempotency-Key is still being processed.";
      op.responses["422"] = errorAnswer("This Idempotency-Key was already used for a different request.");
    }
  }
  return doc;
}
