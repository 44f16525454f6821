// GetFunctions: the provider offers no functions; answering (rather than UNIMPLEMENTED) keeps the CLIs quiet.
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";

export function getFunctions(): tfplugin6.GetFunctionsResponse {
  return { diagnostics: [] };
}
