// scripts/generate.ts: what `npm run generate` writes and what `-- --check` calls stale, on a scratch tree with a
// generator of its own, and the real command line on the real generators.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, pickGenerators, staleFiles, writeGenerated } from "../../scripts/generate.ts";
import type { Generator } from "../../scripts/generators/generator.ts";
import { GENERATORS } from "../../scripts/generators/index.ts";

const run = promisify(execFile);
let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

const scratch = (): string => (root = mkdtempSync(join(tmpdir(), "iamsession-generate-")));
const fake: Generator = {
  name: "fake",
  ownedDirs: ["out/tree"],
  async outputs() {
    return [
      { path: "out/one.txt", content: "one\n" },
      { path: "out/tree/a.txt", content: "a\n" },
    ];
  },
};

describe("npm run generate", () => {
  it("--check lists missing, changed and extra files (in a folder the generator owns), and writing fixes them all", async () => {
    const dir = scratch();
    expect(await staleFiles([fake], dir)).toEqual(["out/one.txt", "out/tree/a.txt"]);
    mkdirSync(join(dir, "out/tree"), { recursive: true });
    writeFileSync(join(dir, "out/one.txt"), "edited by hand\n");
    writeFileSync(join(dir, "out/tree/a.txt"), "a\n");
    writeFileSync(join(dir, "out/tree/left-over.txt"), "from an older generation\n");
    expect(await staleFiles([fake], dir)).toEqual(["out/one.txt", "out/tree/left-over.txt"]);

    expect((await writeGenerated([fake], dir)).sort()).toEqual(["out/one.txt", "out/tree/left-over.txt"]);
    expect(readFileSync(join(dir, "out/one.txt"), "utf8")).toBe("one\n");
    expect(existsSync(join(dir, "out/tree/left-over.txt"))).toBe(false);
    expect(await staleFiles([fake], dir)).toEqual([]);
    expect(await writeGenerated([fake], dir)).toEqual([]);
  });

  it("runs every generator in scripts/generators/index.ts, each named once; names pick a subset", () => {
    const names = GENERATORS.map((g) => g.name);
    expect(names).toEqual(["openapi", "error-codes", "proto-codecs", "provider-schema", "docs", "construct-library"]);
    expect(pickGenerators([])).toBe(GENERATORS);
    expect(pickGenerators(["docs", "openapi"]).map((g) => g.name)).toEqual(["openapi", "docs"]);
    expect(() => pickGenerators(["doc"])).toThrow("unknown generator doc; known: openapi, error-codes, proto-codecs, provider-schema, docs, construct-library");
  });

  it("-- --check exits 0 on the checked-in files, and 1 naming the problem for an unknown generator", async () => {
    const tsx = join(REPO_ROOT, "node_modules/.bin/tsx");
    const ok = await run(tsx, ["scripts/generate.ts", "--check", "openapi", "docs"], { cwd: REPO_ROOT });
    expect(ok.stdout).toContain("generated files are up to date (openapi, docs)");
    const bad = await run(tsx, ["scripts/generate.ts", "--check", "nosuch"], { cwd: REPO_ROOT }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("generate: unknown generator nosuch");
  }, 60_000);
});
