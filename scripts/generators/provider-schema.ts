// schemas/provider.schema.json: the provider's schema exactly as `terraform providers schema -json` prints it,
// derived from the provider's own declarations so that the CDKTF bindings are generated from the same source the
// provider serves.
import { fileURLToPath } from "node:url";
import { providerSchemasJson } from "../../provider/framework/schema.ts";
import { createIamsessionProvider } from "../../provider/iamsession/provider.ts";
import type { Generator } from "./generator.ts";

export const PROVIDER_SCHEMA = "schemas/provider.schema.json";
export const PROVIDER_SCHEMA_PATH = fileURLToPath(new URL(`../../${PROVIDER_SCHEMA}`, import.meta.url));

/** The schema document's text. An empty environment: nothing in the schema may depend on where it is generated. */
export function renderProviderSchema(): string {
  return `${JSON.stringify(providerSchemasJson(createIamsessionProvider({})), null, 2)}\n`;
}

export const generator: Generator = {
  name: "provider-schema",
  async outputs() {
    return [{ path: PROVIDER_SCHEMA, content: renderProviderSchema() }];
  },
};
