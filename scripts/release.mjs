#!/usr/bin/env node
// npm run release: the provider's release in the layout goreleaser gives Go providers, which registries, network
// mirrors and `terraform providers lock` expect (dist/release/ by default):
//
//   terraform-provider-iamsession_VERSION_OS_ARCH.zip   one per platform, holding terraform-provider-iamsession_vVERSION[.exe]
//   terraform-provider-iamsession_VERSION_manifest.json {"version":1,"metadata":{"protocol_versions":["6.0"]}}
//   terraform-provider-iamsession_VERSION_SHA256SUMS    every zip and the manifest
//   terraform-provider-iamsession_VERSION_SHA256SUMS.sig  detached GPG signature (binary) of SHA256SUMS
//
// Signing key: GPG_PRIVATE_KEY (ASCII-armored secret key) and GPG_PASSPHRASE if it has one, imported into a
// throwaway keyring; --unsigned skips the signature (for mirrors only: a registry needs it).
// Reproducible: the same commit gives byte-identical zips (fixed entry order, mode 0755, and the commit's time —
// or SOURCE_DATE_EPOCH — as every timestamp, in UTC).
//
//   npm run release [-- --out DIR] [--platform linux_amd64 ...] [--unsigned]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yazl from "yazl";
import { buildSea, executableName, packageVersion, PLATFORMS } from "./build-sea.mjs";

process.env.TZ = "UTC"; // zip's DOS timestamps are local time: make them the same on every machine

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NAME = "terraform-provider-iamsession";

/** The time every archive entry carries: SOURCE_DATE_EPOCH, else the commit's time, else a fixed date. */
export function sourceDate() {
  if (process.env.SOURCE_DATE_EPOCH) return new Date(Number(process.env.SOURCE_DATE_EPOCH) * 1000);
  try {
    const seconds = execFileSync("git", ["log", "-1", "--format=%ct"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    return new Date(Number(seconds.trim()) * 1000);
  } catch {
    return new Date(Date.UTC(2020, 0, 1));
  }
}

function zipOne(file, entryName, mtime, out) {
  return new Promise((done, fail) => {
    const zip = new yazl.ZipFile();
    zip.addBuffer(readFileSync(file), entryName, { mtime, mode: 0o100755, compressionLevel: 6 });
    zip.end();
    zip.outputStream.pipe(createWriteStream(out)).on("close", done).on("error", fail);
  });
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

function signingKey() {
  const key = process.env.GPG_PRIVATE_KEY;
  if (!key) throw new Error("GPG_PRIVATE_KEY is not set: export an ASCII-armored secret key (or pass --unsigned)");
  return key;
}

function sign(key, sums, sig) {
  const home = mkdtempSync(join(tmpdir(), "iamsession-gpg-"));
  const gpg = (args, input) =>
    execFileSync("gpg", ["--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback", ...args], {
      input,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  try {
    gpg(["--import"], key);
    const pass = process.env.GPG_PASSPHRASE ? ["--passphrase-fd", "0"] : [];
    gpg([...pass, "--detach-sign", "--output", sig, sums], process.env.GPG_PASSPHRASE ?? "");
  } finally {
    try {
      execFileSync("gpgconf", ["--homedir", home, "--kill", "gpg-agent"], { stdio: "ignore" });
    } catch {
      // no agent was started
    }
    rmSync(home, { recursive: true, force: true });
  }
}

/** Builds every platform's zip, the manifest, SHA256SUMS and its signature into `out`; returns the file paths. */
export async function release({ out = join(root, "dist/release"), platforms = PLATFORMS, version = packageVersion(), unsigned = false } = {}) {
  const key = unsigned ? undefined : signingKey(); // before the minutes of building
  const work = mkdtempSync(join(tmpdir(), "iamsession-release-"));
  try {
    const built = buildSea({ platforms, out: join(work, "sea"), version });
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    const mtime = sourceDate();
    const files = [];
    for (const platform of [...platforms].sort()) {
      const zip = join(out, `${NAME}_${version}_${platform}.zip`);
      await zipOne(built[platform], executableName(platform, version), mtime, zip);
      files.push(zip);
    }
    const manifest = join(out, `${NAME}_${version}_manifest.json`);
    writeFileSync(manifest, `${JSON.stringify({ version: 1, metadata: { protocol_versions: ["6.0"] } }, null, 2)}\n`);
    files.push(manifest);
    const sums = join(out, `${NAME}_${version}_SHA256SUMS`);
    writeFileSync(sums, files.map((f) => `${sha256(f)}  ${basename(f)}\n`).sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1)).join(""));
    files.push(sums);
    if (key) {
      sign(key, sums, `${sums}.sig`);
      files.push(`${sums}.sig`);
    }
    return files;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const values = (name) => args.flatMap((a, i) => (a === name && args[i + 1] ? [args[i + 1]] : []));
  const started = performance.now();
  try {
    const platforms = values("--platform");
    const files = await release({
      out: values("--out")[0] ? resolve(values("--out")[0]) : undefined,
      platforms: platforms.length ? platforms : undefined,
      unsigned: args.includes("--unsigned"),
    });
    for (const f of files) process.stdout.write(`${f}\n`);
    process.stderr.write(`release: ${files.length} files in ${Math.round(performance.now() - started)} ms\n`);
  } catch (err) {
    process.stderr.write(`release: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
