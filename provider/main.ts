// The provider executable's entry point: bundled by scripts/build-provider.mjs into
// dist/terraform-provider-iamsession and, inside a single executable, by scripts/build-sea.mjs.
// The provider's own modules (resources, API client, zod) are imported only after the handshake line is printed.
import { serveProvider } from "./framework/server.ts";

serveProvider(async () => (await import("./iamsession/provider.ts")).createIamsessionProvider()).catch((err: unknown) => {
  // One line: the CLI shows it to the user under "Failed to load plugin schemas" / "plugin exited".
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`terraform-provider-iamsession: failed to start: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
});
