// The error catalogue (schemas/errors.ts) is the one list of error codes: the docs table and the OpenAPI enum follow it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_CODE_LIST } from "../../schemas/errors.ts";
import { generator, errorCodeTable } from "../../scripts/generators/error-codes.ts";
import { apiError } from "../../api/errors.ts";

describe("error catalogue", () => {
  it("docs/api.md's error-code table is the catalogue (npm run generate rewrites it)", async () => {
    const [output] = await generator.outputs();
    expect(output!.path).toBe("docs/api.md");
    expect(readFileSync(output!.path, "utf8")).toBe(output!.content);
    // One row per code, with the catalogue's status.
    const doc = readFileSync("docs/api.md", "utf8");
    expect(doc).toContain(errorCodeTable());
    for (const code of ERROR_CODE_LIST) expect(doc).toContain(`| ${ERROR_CODES[code].status} | \`${code}\` |`);
  });

  it("is the enum of the error body's code in the OpenAPI document", () => {
    const doc = JSON.parse(readFileSync("schemas/openapi.json", "utf8"));
    const code = doc.components.schemas.ErrorResponse.properties.errors.items.properties.code;
    expect(code.enum).toEqual(ERROR_CODE_LIST);
  });

  it("gives each API error its status", () => {
    for (const code of ERROR_CODE_LIST) {
      const err = apiError(code, "m");
      expect(err.status).toBe(ERROR_CODES[code].status);
      expect(err.items).toEqual([{ code, message: "m" }]);
    }
  });
});
