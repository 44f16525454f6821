// The whole provider process in one call: handshake, gRPC server, and the provider's handlers until the CLI shuts
// it down. The framework and the provider definition load after the handshake line (a function returning the
// definition, or a dynamic import of it, keeps the provider's modules out of the start-up path).
import { createLogger, type Logger } from "../protocol/logger.ts";
import { servePlugin, type RunningPlugin } from "../protocol/plugin-server.ts";
import type { ProviderDefinition } from "./types.ts";

export interface ServeOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export function serveProvider<P>(
  def: ProviderDefinition<P> | (() => ProviderDefinition<P> | Promise<ProviderDefinition<P>>),
  opts: ServeOptions = {},
): Promise<RunningPlugin> {
  const logger = opts.logger ?? createLogger();
  return servePlugin({
    provider: async () => {
      const { createProviderServer } = await import("./provider-server.ts");
      return createProviderServer(typeof def === "function" ? await def() : def, logger);
    },
    logger,
    env: opts.env,
  });
}
