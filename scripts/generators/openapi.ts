// schemas/openapi.json, the checked-in OpenAPI 3.1 document of the settings API, from the same route definitions
// and zod schemas the API validates with (and serves at /openapi.json).
import { fileURLToPath } from "node:url";
import { createApp } from "../../api/app.ts";
import type { Store } from "../../api/db/store.ts";
import { openApiDocument } from "../../api/openapi.ts";
import type { Generator } from "./generator.ts";

export const OPENAPI_JSON = "schemas/openapi.json";
export const OPENAPI_JSON_PATH = fileURLToPath(new URL(`../../${OPENAPI_JSON}`, import.meta.url));

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

export const generator: Generator = {
  name: "openapi",
  async outputs() {
    return [{ path: OPENAPI_JSON, content: renderOpenApiJson() }];
  },
};
