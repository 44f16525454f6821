// Names and other free text: what may be stored, and how any stored text is printed.
//
// Stored text is well-formed Unicode (no lone surrogates, which SQLite would keep as invalid UTF-8 and give back
// as other characters: a permanent Terraform diff), with no C0/C1 control characters and no bidirectional
// formatting characters (which let a name rewrite the line it is printed on: "No drift" in a CI log). Lengths
// count Unicode code points, not UTF-16 units, so the limit means the same in every client.
// Printers escape what they print anyway (text stored before these rules, text from elsewhere): escapeText.

/** The longest name, in code points. */
export const MAX_NAME_LENGTH = 200;

/** In a `u` regular expression a lone surrogate is one code point of category Cs; a well-formed pair is not. */
const LONE_SURROGATE = /\p{Cs}/u;

/** C0 controls, DEL, C1 controls. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Bidirectional formatting: the embeddings and overrides (U+202A–U+202E), the isolates (U+2066–U+2069) and the
 * implicit marks (U+200E, U+200F, U+061C). Also line/paragraph separators (U+2028, U+2029), which end a line in
 * many terminals and editors.
 */
const BIDI_OR_SEPARATOR = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]/u;

/**
 * The same rule as a JSON Schema / ECMA-262 pattern (for the OpenAPI document): no character of CONTROL or
 * BIDI_OR_SEPARATOR. Well-formedness (no lone surrogate) is not expressible in a pattern; JSON text cannot carry one
 * un-escaped anyway.
 */
export const TEXT_PATTERN = `^[^${CONTROL.source.slice(1, -1)}${BIDI_OR_SEPARATOR.source.slice(1, -1)}]*$`;

export const TEXT_RULE =
  "well-formed Unicode without control characters (U+0000–U+001F, U+007F–U+009F) or bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+2028, U+2029)";

/** The number of Unicode code points of a (well-formed) string. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Checks one text field: undefined when valid, else a message naming the field and the rule. */
export function checkText(field: string, value: unknown, maxLength = MAX_NAME_LENGTH): string | undefined {
  const rule = `a string of 1 to ${maxLength} characters, ${TEXT_RULE}`;
  if (typeof value !== "string") return `${field}: must be ${rule}`;
  if (LONE_SURROGATE.test(value)) return `${field}: must be well-formed Unicode (it holds a lone surrogate)`;
  if (value.length === 0) return `${field}: must not be empty`;
  const length = codePointLength(value);
  if (length > maxLength) return `${field}: must be at most ${maxLength} characters (got ${length})`;
  const control = CONTROL.exec(value);
  if (control) return `${field}: must not contain control character ${codePoint(control[0])}`;
  const bidi = BIDI_OR_SEPARATOR.exec(value);
  if (bidi) return `${field}: must not contain bidirectional formatting or separator character ${codePoint(bidi[0])}`;
  return undefined;
}

function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
}

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]|\p{Cs}/gu;

/**
 * Text made safe to print on a terminal or in a log: control, bidirectional-formatting and separator characters,
 * and lone surrogates become `\u{…}` escapes.
 * `keep` lists characters a multi-line message may keep (for example "\n").
 */
export function escapeText(text: string, keep = ""): string {
  return text.replace(UNSAFE, (ch) => (keep.includes(ch) ? ch : `\\u{${ch.codePointAt(0)!.toString(16)}}`));
}
