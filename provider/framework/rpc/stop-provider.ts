// StopProvider: nothing runs in the background to stop; calls in flight end by their own timeouts.
import type { Logger } from "../../protocol/logger.ts";
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";

export function stopProvider(log: Logger): tfplugin6.StopProviderResponse {
  log.debug("stop requested");
  return { error: "" };
}
