// Writes schemas/provider.schema.json: the provider's schema exactly as `terraform providers schema -json` prints
// it, derived from the provider's own declarations so that the CDKTF bindings are generated from the same source
// the provider serves. `--check` exits 1 when the checked-in file differs from what would be written.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { providerSchemasJson } from "../provider/framework/schema.ts";
import { createIamsessionProvider } from "../provider/iamsession/provider.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const PROVIDER_SCHEMA_PATH = join(root, "schemas", "provider.schema.json");

/** The schema document's text. An empty environment: nothing in the schema may depend on where it is generated. */
export function renderProviderSchema(): string {
  return `${JSON.stringify(providerSchemasJson(createIamsessionProvider({})), null, 2)}\n`;
}

function main(args: string[]): number {
  const wanted = renderProviderSchema();
  const shown = relative(process.cwd(), PROVIDER_SCHEMA_PATH);
  if (args.includes("--check")) {
    let current: string | undefined;
    try {
      current = readFileSync(PROVIDER_SCHEMA_PATH, "utf8");
    } catch {
      current = undefined;
    }
    if (current === wanted) return 0;
    console.error(`${shown} is stale: run \`npm run schema:provider\` and commit the result.`);
    return 1;
  }
  writeFileSync(PROVIDER_SCHEMA_PATH, wanted);
  console.log(`wrote ${shown}`);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main(process.argv.slice(2));
