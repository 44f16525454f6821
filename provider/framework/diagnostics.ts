// The framework's diagnostics as protocol diagnostics, and turning anything a resource throws into one.
import { CtyTypeError } from "../protocol/cty/wire-type.ts";
import * as tfplugin6 from "../protocol/tfplugin6/index.ts";
import { escapeText } from "../../schemas/text.ts";
import { DiagnosticError, type AttributePath, type Diagnostic, type Diagnostics } from "./types.ts";

export function protocolPath(path: AttributePath): tfplugin6.AttributePath {
  return { steps: path.map((attributeName) => ({ attributeName })) };
}

export function protocolDiagnostics(items: readonly Diagnostic[]): tfplugin6.Diagnostic[] {
  return items.map((d) => ({
    severity: d.severity === "error" ? tfplugin6.DiagnosticSeverity.Error : tfplugin6.DiagnosticSeverity.Warning,
    // A backstop for text from the server in a message (the API's own messages, names): nothing printed by the CLI
    // can carry control or bidi characters; a detail keeps its line breaks.
    summary: escapeText(d.summary),
    detail: escapeText(d.detail ?? "", "\n\t"),
    ...(d.attribute?.length ? { attribute: protocolPath(d.attribute) } : {}),
  }));
}

/** DiagnosticError keeps its own summary, detail and attribute; anything else is reported as a provider bug. */
export function addError(diagnostics: Diagnostics, err: unknown): void {
  if (err instanceof DiagnosticError) {
    diagnostics.error(err.summary, err.detail, err.attribute);
  } else if (err instanceof CtyTypeError) {
    diagnostics.error("Invalid value", err.message, err.path.length ? err.path.slice(0, 1) : undefined);
  } else {
    diagnostics.error("Unexpected provider error", err instanceof Error ? err.message : String(err));
  }
}
