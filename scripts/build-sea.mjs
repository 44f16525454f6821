#!/usr/bin/env node
// Builds the provider as a single executable (Node SEA) for one or more platforms: the bundle
// (scripts/build-provider.mjs --sea), the handshake line's own small script (provider/protocol/listen-early.ts) and
// the loader (scripts/release/sea-main.cjs) go into a SEA blob written by
// the platform's own Node version, which postject injects into a copy of that platform's Node 24 binary from the
// npm registry (scripts/node-runtime.mjs). No Node and no node_modules are needed where it runs.
//
//   node scripts/build-sea.mjs [--platform linux_amd64 ...|--all] [--out dist/sea] [--version 0.1.0]
//   → DIR/OS_ARCH/terraform-provider-iamsession_vVERSION[.exe], one line per executable on stdout
//
// The output is byte-identical for the same sources (no code cache inside: see sea-main.cjs). darwin binaries
// are written unsigned (postject invalidates Node's own signature): see docs/index.md "Installation".
//
// The Linux executables are stripped (`llvm-strip --strip-all`, before the blob is injected: strip would drop the
// injected note) of the symbol table and debug info Node's Linux binaries carry, as Go providers are built
// stripped (goreleaser's `-s -w`). Not for the download alone: Terraform and OpenTofu hash the whole provider
// package against the lock file at the start of every command (init, plan, apply, ...), ~1 GB/s here, so each
// MB of executable is ~1 ms of every command (README, "plan overhead"). The dynamic symbol table, which native
// addons link against, stays. darwin and Windows executables are left as they are: a stripped Mach-O must be
// signed again and cannot be run here to show that it still starts, and Node's Windows binary has no debug info.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { blobWriterSpec, nodeRuntime, RUNTIMES } from "./node-runtime.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SENTINEL = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
export const PLATFORMS = Object.keys(RUNTIMES.platforms);
export const packageVersion = () => JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
export const executableName = (platform, version) =>
  `terraform-provider-iamsession_v${version}${platform.startsWith("windows_") ? ".exe" : ""}`;

function run(file, args, opts = {}) {
  return execFileSync(file, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], ...opts });
}

/** Strips an ELF executable in place. One tool for every architecture, so a build does not depend on the host's. */
function stripElf(exe) {
  try {
    run("llvm-strip", ["--strip-all", exe]);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
    throw new Error("llvm-strip not found: the Linux executables are stripped with it (Debian/Ubuntu: apt-get install llvm)");
  }
}

/** Builds the executables; returns { platform: path }. */
export function buildSea({ platforms = ["linux_amd64"], out = join(root, "dist/sea"), version = packageVersion() } = {}) {
  const work = mkdtempSync(join(tmpdir(), "iamsession-sea-"));
  try {
    const bundle = join(work, "provider.cjs");
    run(process.execPath, [join(root, "scripts/build-provider.mjs"), "--sea", "--out", bundle], { stdio: "inherit" });
    // The handshake line's own small script, run before the bundle is compiled (sea-main.cjs).
    run(process.execPath, [join(root, "scripts/build-provider.mjs"), "--sea", "--entry", "provider/protocol/listen-early.ts",
      "--out", join(work, "listen-early.cjs")], { stdio: "inherit" });
    copyFileSync(join(root, "scripts/release/sea-main.cjs"), join(work, "sea-main.cjs"));
    // Names the per-user code cache file. V8 rejects a cache made from another source (the loader wraps the
    // bundle) or under other V8 flags (which a loader may set), so the loader counts too: two builds of one bundle
    // with different loaders, used in turn (a benchmark against main's build), would otherwise reject and rewrite
    // each other's cache at every exit (10–20 ms more per exit, and the next start compiles the bundle afresh).
    const bundleId = createHash("sha256")
      .update(readFileSync(bundle))
      .update(readFileSync(join(work, "sea-main.cjs")))
      .digest("hex")
      .slice(0, 16);
    writeFileSync(join(work, "bundle-id"), bundleId);

    const built = {};
    for (const platform of platforms) {
      const target = nodeRuntime(platform);
      const writer = nodeRuntime(blobWriterSpec(platform));
      const blob = join(work, `${platform}.blob`);
      const config = join(work, `${platform}.json`);
      // Paths relative to the work directory: the blob records the main script's path, which must not be the
      // random temp directory's (the executable would differ on every build).
      writeFileSync(
        config,
        JSON.stringify({
          main: "sea-main.cjs",
          output: `${platform}.blob`,
          disableExperimentalSEAWarning: true,
          useCodeCache: false,
          useSnapshot: false,
          assets: { "listen-early.cjs": "listen-early.cjs", "provider.cjs": "provider.cjs", "bundle-id": "bundle-id" },
        }),
      );
      run(writer.binary, ["--experimental-sea-config", config], { cwd: work, stdio: ["ignore", "pipe", "pipe"] });

      const exe = join(out, platform, executableName(platform, version));
      mkdirSync(dirname(exe), { recursive: true });
      rmSync(exe, { force: true });
      copyFileSync(target.binary, exe);
      chmodSync(exe, 0o755);
      if (platform.startsWith("linux_")) stripElf(exe);
      const darwin = platform.startsWith("darwin_") ? ["--macho-segment-name", "NODE_SEA"] : [];
      // postject prints LIEF's harmless section-name warnings on stdout: keep them out of ours.
      run(process.execPath, [join(root, "node_modules/postject/dist/cli.js"), exe, "NODE_SEA_BLOB", blob,
        "--sentinel-fuse", SENTINEL, ...darwin], { stdio: ["ignore", "ignore", "pipe"] });
      built[platform] = exe;
    }
    return built;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const values = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
  const platforms = args.includes("--all") ? PLATFORMS : values("--platform");
  for (const p of platforms) if (!PLATFORMS.includes(p)) throw new Error(`unknown platform ${p}; known: ${PLATFORMS.join(", ")}`);
  const started = performance.now();
  const built = buildSea({
    platforms: platforms.length ? platforms : undefined,
    out: values("--out")[0] ? resolve(values("--out")[0]) : undefined,
    version: values("--version")[0],
  });
  for (const exe of Object.values(built)) process.stdout.write(`${exe}\n`);
  process.stderr.write(`build-sea: ${Object.keys(built).join(", ")} in ${Math.round(performance.now() - started)} ms\n`);
}
