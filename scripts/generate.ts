// `npm run generate` writes every generator's files; `npm run generate -- --check` exits 1 naming the files that
// differ from what the generators produce (the freshness test runs the same comparison).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GENERATORS } from "./generators/index.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The generated paths whose checked-in content differs from a fresh generation. */
export async function staleOutputs(): Promise<string[]> {
  const stale: string[] = [];
  for (const g of GENERATORS) {
    for (const { path, content } of await g.outputs()) {
      const file = join(root, path);
      if (!existsSync(file) || readFileSync(file, "utf8") !== content) stale.push(`${g.name}: ${path}`);
    }
  }
  return stale;
}

async function main(args: string[]): Promise<number> {
  if (args.includes("--check")) {
    const stale = await staleOutputs();
    if (stale.length === 0) return 0;
    console.error(`generated files are stale (run \`npm run generate\`):\n${stale.map((p) => `  ${p}`).join("\n")}`);
    return 1;
  }
  for (const g of GENERATORS) {
    const outputs = await g.outputs();
    for (const { path, content } of outputs) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    console.log(`${g.name}: ${outputs.length} files`);
  }
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main(process.argv.slice(2));
