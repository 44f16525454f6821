// The error-code table of docs/api.md, generated from the catalogue in schemas/errors.ts. Only the lines between the
// two markers are generated; the rest of docs/api.md is written by hand.
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, ERROR_CODE_LIST } from "../../schemas/errors.ts";
import type { Generator } from "./generator.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DOC = "docs/api.md";
export const BEGIN = "<!-- error codes: generated from schemas/errors.ts by scripts/generators/error-codes.ts -->";
export const END = "<!-- end of error codes -->";

/** The markdown table: one row per code, in catalogue order. */
export function errorCodeTable(): string {
  const rows = ERROR_CODE_LIST.map((code) => `| ${ERROR_CODES[code].status} | \`${code}\` | ${ERROR_CODES[code].meaning} |`);
  return ["| status | code | when |", "|--------|------|------|", ...rows].join("\n");
}

/** `doc` with the text between the markers replaced by the table. */
export function withErrorCodeTable(doc: string): string {
  const begin = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`${DOC} lacks the error-code markers ${BEGIN} … ${END}`);
  return `${doc.slice(0, begin + BEGIN.length)}\n${errorCodeTable()}\n${doc.slice(end)}`;
}

export const generator: Generator = {
  name: "error-codes",
  async outputs() {
    const doc = await readFile(join(root, DOC), "utf8");
    return [{ path: DOC, content: withErrorCodeTable(doc) }];
  },
};
