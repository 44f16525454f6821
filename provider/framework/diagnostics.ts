// Diagnostics on the wire, and turning anything a resource throws into one.
import { CtyTypeError } from "../protocol/cty/wire-type.ts";
import type { Message } from "../protocol/proto/services.ts";
import { escapeText } from "../../schemas/text.ts";
import { DiagnosticError, type Diagnostic, type Diagnostics } from "./types.ts";

const ERROR = 1;
const WARNING = 2;

export function attributePathToProto(path: readonly string[]): Message {
  return { steps: path.map((attribute_name) => ({ attribute_name })) };
}

export function diagnosticsToProto(items: readonly Diagnostic[]): Message[] {
  return items.map((d) => ({
    severity: d.severity === "error" ? ERROR : WARNING,
    // A backstop for text from the server in a message (the API's own messages, names): nothing printed by the CLI
    // can carry control or bidi characters; a detail keeps its line breaks.
    summary: escapeText(d.summary),
    detail: escapeText(d.detail ?? "", "\n\t"),
    ...(d.attribute?.length ? { attribute: attributePathToProto(d.attribute) } : {}),
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
