// docs/ is generated from the provider's schema, templates/ and examples/: a stale page fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderDocs } from "../../scripts/generate-docs.ts";

describe("generated docs", () => {
  for (const [path, expected] of renderDocs()) {
    it(`${path} is up to date (npm run docs regenerates it)`, () => {
      expect(readFileSync(path, "utf8")).toBe(expected);
    });
  }
});
