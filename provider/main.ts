// The provider executable's entry point: bundled by scripts/build-provider.mjs into
// dist/terraform-provider-iamsession, which the Terraform/OpenTofu CLIs start as a plugin.
import { serveProvider } from "./framework/server.ts";
import { createIamsessionProvider } from "./iamsession/provider.ts";

serveProvider(createIamsessionProvider()).catch((err: unknown) => {
  process.stderr.write(`terraform-provider-iamsession: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
