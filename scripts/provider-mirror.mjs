#!/usr/bin/env node
// Lays out the provider as a mirror under DIR, for both default registry hosts (registry.terraform.io for
// Terraform, registry.opentofu.org for OpenTofu), in one of the three layouts the CLIs install from:
//
//   --layout unpacked  DIR/HOST/NS/TYPE/VERSION/OS_ARCH/terraform-provider-TYPE_vVERSION   (filesystem_mirror)
//   --layout packed    DIR/HOST/NS/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip          (filesystem_mirror)
//   --layout network   DIR/HOST/NS/TYPE/index.json, VERSION.json and the zips: a static directory any HTTPS
//                      server can serve as a provider network mirror (network_mirror { url = "https://…/" })
//   --layout registry  DIR/.well-known/terraform.json and DIR/v1/providers/NS/TYPE/…: a static provider registry
//                      (the registry protocol: versions, download metadata with the signing key, the zips,
//                      SHA256SUMS and its signature), served at --base-url; needs --signing-key (public key, armored)
//
// The source is either a release (--release dist/release: every platform's zip, from `npm run release`) or one
// executable (--binary FILE [--platform OS_ARCH], unpacked only; default dist/terraform-provider-TYPE for this
// machine's platform — what the test suite and the developer loop use).
//
//   npm run provider:mirror -- DIR [--layout unpacked|packed|network] [--release DIR | --binary FILE]
//                                  [--platform OS_ARCH] [--name TYPE] [--namespace NS] [--version X.Y.Z]
//                                  [--base-url https://registry.example.com/ --signing-key key.asc]
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import yauzl from "yauzl";
import { hostPlatform } from "./node-runtime.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const HOSTS = ["registry.terraform.io", "registry.opentofu.org"];

const sha256 = (bytes) => createHash("sha256").update(bytes).digest();

/**
 * The lock file's `h1:` hash (Go's dirhash Hash1) of a package's files: sha256 over the sorted lines
 * "<hex sha256 of file>  <name>\n". Same value for the zip and for its unpacked directory.
 */
export function h1Hash(files) {
  const lines = [...files]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((f) => `${sha256(f.bytes).toString("hex")}  ${f.name}\n`)
    .join("");
  return `h1:${sha256(Buffer.from(lines)).toString("base64")}`;
}

/** The entries of a zip as [{ name, bytes, mode }]. */
export function readZip(file) {
  return new Promise((done, fail) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return fail(err);
      const files = [];
      zip.on("entry", (entry) => {
        if (entry.fileName.endsWith("/")) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return fail(e);
          const chunks = [];
          stream.on("data", (c) => chunks.push(c));
          stream.on("end", () => {
            files.push({ name: entry.fileName, bytes: Buffer.concat(chunks), mode: (entry.externalFileAttributes >>> 16) & 0o777 });
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => done(files));
      zip.on("error", fail);
      zip.readEntry();
    });
  });
}

/** The release's zips by platform: { linux_amd64: "/…/terraform-provider-TYPE_VERSION_linux_amd64.zip", … }. */
export function releaseZips(releaseDir, name, version) {
  const prefix = `terraform-provider-${name}_${version}_`;
  const zips = {};
  for (const file of readdirSync(releaseDir)) {
    if (file.startsWith(prefix) && file.endsWith(".zip")) zips[file.slice(prefix.length, -4)] = join(releaseDir, file);
  }
  if (!Object.keys(zips).length) throw new Error(`${releaseDir} holds no ${prefix}OS_ARCH.zip: run \`npm run release\` first`);
  return zips;
}

/** The long key id (16 hex digits) of an armored public key, as the registry protocol's download response gives it. */
function gpgKeyId(armored) {
  const listing = execFileSync("gpg", ["--batch", "--with-colons", "--import-options", "show-only", "--import"], {
    input: armored,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "ignore"],
  });
  const pub = listing.split("\n").find((l) => l.startsWith("pub:"));
  if (!pub) throw new Error("--signing-key holds no public key");
  return pub.split(":")[4];
}

/** The static provider registry (registry protocol v1) for one version, at DIR/v1/providers/NS/TYPE/. */
async function layOutRegistry({ dir, release, name, namespace, version, baseUrl, signingKey }) {
  if (!baseUrl || !signingKey) throw new Error("--layout registry needs --base-url URL and --signing-key FILE (the armored public key)");
  const base = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
  const armor = readFileSync(signingKey, "utf8");
  const prefix = `terraform-provider-${name}_${version}`;
  const sums = join(release, `${prefix}_SHA256SUMS`);
  if (!existsSync(`${sums}.sig`)) throw new Error(`${sums}.sig is missing: a registry serves signed releases only`);
  const typePath = `v1/providers/${namespace}/${name}`;
  const filesPath = `${typePath}/${version}/files`;
  const written = [];
  const write = (path, value) => {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
    written.push(file);
  };
  const copy = (file) => {
    const target = join(dir, filesPath, basename(file));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file, target);
    written.push(target);
  };
  write(".well-known/terraform.json", { "providers.v1": "/v1/providers/" });
  const zips = releaseZips(release, name, version);
  copy(sums);
  copy(`${sums}.sig`);
  const platforms = [];
  for (const [plat, zip] of Object.entries(zips)) {
    const [os, arch] = plat.split("_");
    platforms.push({ os, arch });
    copy(zip);
    write(`${typePath}/${version}/download/${os}/${arch}`, {
      protocols: ["6.0"],
      os,
      arch,
      filename: `${prefix}_${plat}.zip`,
      download_url: `${base}${filesPath}/${prefix}_${plat}.zip`,
      shasums_url: `${base}${filesPath}/${prefix}_SHA256SUMS`,
      shasums_signature_url: `${base}${filesPath}/${prefix}_SHA256SUMS.sig`,
      shasum: sha256(readFileSync(zip)).toString("hex"),
      signing_keys: { gpg_public_keys: [{ key_id: gpgKeyId(armor), ascii_armor: armor }] },
    });
  }
  write(`${typePath}/versions`, { versions: [{ version, protocols: ["6.0"], platforms }] });
  return written;
}

/** Writes the mirror; returns the paths written. */
export async function layOutMirror({ dir, layout = "unpacked", release, binary, platform = hostPlatform(), name = "iamsession", namespace = name, version, baseUrl, signingKey }) {
  if (layout === "registry") return layOutRegistry({ dir, release, name, namespace, version, baseUrl, signingKey });
  const written = [];
  const typeDir = (host) => join(dir, host, namespace, name);
  if (!release) {
    if (layout !== "unpacked") throw new Error(`--layout ${layout} needs --release DIR (zips from npm run release)`);
    if (!existsSync(binary)) throw new Error(`${binary} does not exist; run \`npm run build\` first`);
    for (const host of HOSTS) {
      const exe = platform.startsWith("windows_") ? ".exe" : "";
      const target = join(typeDir(host), version, platform, `terraform-provider-${name}_v${version}${exe}`);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(binary, target);
      chmodSync(target, 0o755);
      written.push(target);
    }
    return written;
  }

  const zips = releaseZips(release, name, version);
  for (const host of HOSTS) {
    if (layout === "unpacked") {
      for (const [plat, zip] of Object.entries(zips)) {
        for (const file of await readZip(zip)) {
          const target = join(typeDir(host), version, plat, file.name);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, file.bytes);
          chmodSync(target, file.mode || 0o755);
          written.push(target);
        }
      }
    } else if (layout === "packed" || layout === "network") {
      mkdirSync(typeDir(host), { recursive: true });
      const archives = {};
      for (const [plat, zip] of Object.entries(zips)) {
        const target = join(typeDir(host), `terraform-provider-${name}_${version}_${plat}.zip`);
        copyFileSync(zip, target);
        written.push(target);
        archives[plat] = {
          url: `terraform-provider-${name}_${version}_${plat}.zip`, // relative to VERSION.json
          hashes: [h1Hash(await readZip(zip)), `zh:${sha256(readFileSync(zip)).toString("hex")}`],
        };
      }
      if (layout === "network") {
        const indexFile = join(typeDir(host), "index.json");
        const index = existsSync(indexFile) ? JSON.parse(readFileSync(indexFile, "utf8")) : { versions: {} };
        index.versions[version] = {};
        writeFileSync(indexFile, `${JSON.stringify(index, null, 2)}\n`);
        const versionFile = join(typeDir(host), `${version}.json`);
        writeFileSync(versionFile, `${JSON.stringify({ archives }, null, 2)}\n`);
        written.push(indexFile, versionFile);
      }
    } else {
      throw new Error(`unknown layout ${layout}: unpacked, packed or network`);
    }
  }
  return written;
}

if (resolve(process.argv[1] ?? "") === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const option = (flag) => {
    const at = args.indexOf(flag);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const name = option("--name") ?? "iamsession";
  const opts = {
    name,
    namespace: option("--namespace") ?? name,
    layout: option("--layout") ?? "unpacked",
    release: option("--release"),
    binary: resolve(root, option("--binary") ?? `dist/terraform-provider-${name}`),
    platform: option("--platform") ?? hostPlatform(),
    version: option("--version") ?? JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")).version,
    baseUrl: option("--base-url"),
    signingKey: option("--signing-key"),
  };
  if (opts.release) opts.release = resolve(opts.release);
  const dir = args[0];
  if (!dir) {
    process.stderr.write("usage: npm run provider:mirror -- DIR [--layout unpacked|packed|network|registry] [--release DIR | --binary FILE]\n");
    process.exit(2);
  }
  try {
    for (const path of await layOutMirror({ dir: resolve(dir), ...opts })) process.stdout.write(`${path}\n`);
  } catch (err) {
    process.stderr.write(`provider-mirror: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
