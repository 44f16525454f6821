// The whole provider process in one call: handshake, gRPC server, and the provider's handlers until the CLI shuts
// it down.
import { createLogger, type Logger } from "../protocol/logger.ts";
import { servePlugin, type RunningPlugin } from "../protocol/plugin-server.ts";
import { createProviderServer } from "./provider-server.ts";
import type { ProviderDefinition } from "./types.ts";

export interface ServeOptions {
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export function serveProvider<P>(def: ProviderDefinition<P>, opts: ServeOptions = {}): Promise<RunningPlugin> {
  const logger = opts.logger ?? createLogger();
  return servePlugin({ provider: createProviderServer(def, logger), logger, env: opts.env });
}
