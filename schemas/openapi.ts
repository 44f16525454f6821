// Generates schemas/openapi.json, the checked-in OpenAPI 3.1 document of the settings API, from the same route
// definitions and zod schemas the API validates with.
//   tsx schemas/openapi.ts          rewrite schemas/openapi.json
//   tsx schemas/openapi.ts --check  exit 1 if schemas/openapi.json is not up to date
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createApp } from "../api/app.ts";
import type { Store } from "../api/db/store.ts";
import { openApiDocument } from "../api/openapi.ts";

export const OPENAPI_JSON_PATH = fileURLToPath(new URL("./openapi.json", import.meta.url));

/** The document as served at /openapi.json. Building it needs no database: handlers never run. */
export function buildOpenApiDocument(): unknown {
  const noStore = new Proxy({} as Store, {
    get() {
      throw new Error("the OpenAPI document is generated without a database");
    },
  });
  const noWriter = {
    call: () => Promise.reject(new Error("the OpenAPI document is generated without a database")),
    close: async () => {},
  };
  return openApiDocument(createApp({ store: noStore, writer: noWriter, log: () => {} }));
}

/** The exact text of schemas/openapi.json. */
export function renderOpenApiJson(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderOpenApiJson();
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(OPENAPI_JSON_PATH, "utf8");
    } catch {
      // missing: stale
    }
    if (current !== text) {
      process.stderr.write("schemas/openapi.json is out of date: run `npx tsx schemas/openapi.ts`\n");
      process.exit(1);
    }
    process.stdout.write("schemas/openapi.json is up to date\n");
  } else {
    writeFileSync(OPENAPI_JSON_PATH, text);
    process.stdout.write(`wrote ${OPENAPI_JSON_PATH}\n`);
  }
}
