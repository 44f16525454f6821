// docs/ is generated from the provider's schema, templates/ and examples/: a stale page fails here.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { staleFiles } from "../../scripts/generate.ts";
import { generator as docs } from "../../scripts/generators/docs.ts";

describe("generated docs", async () => {
  for (const { path, content: expected } of await docs.outputs()) {
    it(`${path} is up to date (npm run generate regenerates it)`, () => {
      expect(readFileSync(path, "utf8")).toBe(expected);
    });
  }

  it("npm run generate -- --check finds every page fresh", async () => {
    expect(await staleFiles([docs])).toEqual([]);
  });
});
