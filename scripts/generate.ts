// npm run generate [-- --check] [-- NAME ...]: writes every checked-in generated file (scripts/generators/), or
// with --check writes nothing, lists each stale file and exits 1 when there is one. NAMEs pick generators.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Generator } from "./generators/generator.ts";
import { GENERATORS } from "./generators/index.ts";
import { readTree } from "./generators/tree.ts";

export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** One generator's files that differ from its outputs: changed, missing, or extra in a folder it owns. */
async function diff(gen: Generator, root: string): Promise<{ changed: Map<string, string>; extra: string[] }> {
  const changed = new Map<string, string>();
  const wanted = new Set<string>();
  for (const { path, content } of await gen.outputs()) {
    wanted.add(path);
    let current: string | undefined;
    try {
      current = readFileSync(join(root, path), "utf8");
    } catch {
      current = undefined; // missing: stale
    }
    if (current !== content) changed.set(path, content);
  }
  const extra = (gen.ownedDirs ?? []).flatMap((dir) =>
    [...readTree(join(root, dir)).keys()].map((p) => `${dir}/${p}`).filter((p) => !wanted.has(p)),
  );
  return { changed, extra };
}

/** The repository-relative paths of every stale file of these generators, sorted; empty when all are fresh. */
export async function staleFiles(generators: readonly Generator[] = GENERATORS, root = REPO_ROOT): Promise<string[]> {
  const stale: string[] = [];
  for (const gen of generators) {
    const { changed, extra } = await diff(gen, root);
    stale.push(...changed.keys(), ...extra);
  }
  return stale.sort();
}

/** Writes what differs, one generator after the other (later ones may read earlier ones' files); returns the paths. */
export async function writeGenerated(generators: readonly Generator[] = GENERATORS, root = REPO_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const gen of generators) {
    const { changed, extra } = await diff(gen, root);
    for (const [path, content] of changed) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
      written.push(path);
    }
    for (const path of extra) {
      rmSync(join(root, path));
      written.push(path);
    }
  }
  return written;
}

/** The generators named (all when none is), or an error naming the unknown ones and the known. */
export function pickGenerators(names: string[], all: readonly Generator[] = GENERATORS): readonly Generator[] {
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((g) => g.name === n));
  if (unknown.length > 0) {
    throw new Error(`unknown generator ${unknown.join(", ")}; known: ${all.map((g) => g.name).join(", ")}`);
  }
  return all.filter((g) => names.includes(g.name));
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { check: { type: "boolean", default: false } } });
  const generators = pickGenerators(positionals);
  if (values.check) {
    const stale = await staleFiles(generators);
    if (stale.length === 0) {
      console.log(`generated files are up to date (${generators.map((g) => g.name).join(", ")})`);
      return 0;
    }
    console.error(`stale generated files (run \`npm run generate\` and commit the result):\n${stale.map((p) => `  ${p}`).join("\n")}`);
    return 1;
  }
  const written = await writeGenerated(generators);
  console.log(written.length === 0 ? "generated files were up to date" : written.map((p) => `updated ${p}`).join("\n"));
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (err) {
    console.error(`generate: ${(err as Error).message}`);
    process.exitCode = 1;
  }
}
