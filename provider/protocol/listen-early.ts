// The first script the single executable runs (scripts/release/sea-main.cjs): listens and prints the handshake
// line before the much larger provider bundle is even compiled. The bundle's servePlugin then takes over this
// listener (listenForCli is once per process); the exported promise tells the loader when the line is out.
import { listenForCli, type Listener } from "./listen.ts";
import { createLogger } from "./logger.ts";

export const listening: Promise<Listener> = listenForCli(process.env, createLogger());
