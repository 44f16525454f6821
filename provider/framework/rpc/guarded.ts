// The shape every handler shares: run the body, turn anything thrown into a diagnostic, and answer with whatever
// the body had set on the response so far (a state set before a failing call is what the CLI keeps).
import type { Logger } from "../../protocol/logger.ts";
import type * as tfplugin6 from "../../protocol/tfplugin6/index.ts";
import { addError, protocolDiagnostics } from "../diagnostics.ts";
import { DiagnosticError, Diagnostics } from "../types.ts";

export async function guarded<R extends object>(
  log: Logger,
  rpc: tfplugin6.RpcName,
  response: R,
  body: (diagnostics: Diagnostics) => Promise<void> | void,
): Promise<R & { diagnostics: tfplugin6.Diagnostic[] }> {
  const diagnostics = new Diagnostics();
  try {
    await body(diagnostics);
  } catch (err) {
    if (!(err instanceof DiagnosticError)) {
      log.error("unexpected error", { rpc, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
    addError(diagnostics, err);
  }
  return { ...response, diagnostics: protocolDiagnostics(diagnostics.items) };
}
