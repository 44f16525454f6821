// The release as users get it (issue #14): `npm run release` twice from the same commit gives byte-identical zips;
// SHA256SUMS, its GPG signature (a throwaway key) and the manifest are what registries expect; and both CLIs
// install the provider from every layout (unpacked and packed filesystem mirrors, an HTTPS network mirror, a static
// HTTPS registry) with no `node` on PATH, lock every built platform (h1: and, from the registry's signed
// SHA256SUMS, zh:), and keep that lock file valid against the rebuilt release.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveHttpsStatic, type HttpsStatic } from "../helpers/https-static.ts";
import { cliBinaries, makeWorkdir, REPO_ROOT, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";

const NAME = "terraform-provider-iamsession";
const VERSION = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).version as string;
const PLATFORMS = Object.keys(
  JSON.parse(readFileSync(join(REPO_ROOT, "scripts/release/node-runtimes.json"), "utf8")).platforms,
).sort();
const MAIN_TF = `terraform {
  required_providers {
    iamsession = { source = "registry.terraform.io/iamsession/iamsession" }
  }
}

provider "iamsession" {
  endpoint = "http://127.0.0.1:9"
  token    = "unused"
}

resource "iamsession_account_settings" "a" {
  account_id                      = "acme-production"
  session_invalidation_in_seconds = "1800"
}
`;

let tmp: string;
let gnupg: string;
let releaseA: string;
let releaseB: string;
type Layout = "unpacked" | "packed" | "network" | "registry";
const LAYOUTS: Layout[] = ["unpacked", "packed", "network", "registry"];
const mirrors: Record<Layout, string> = { unpacked: "", packed: "", network: "", registry: "" };
let https: HttpsStatic; // serves tmp/served/: network/ (the network mirror) and registry/ (the registry)
let served: string;
let publicKey: string;
let noNode: string; // a PATH with no node on it (an empty directory): the provider must not need one

function run(file: string, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(file, args, { cwd: REPO_ROOT, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
}
function layOut(dir: string, layout: Layout, release: string): void {
  const registry = layout === "registry" ? ["--base-url", `${https.url}${dir.slice(served.length + 1)}/`, "--signing-key", publicKey] : [];
  run(process.execPath, ["scripts/provider-mirror.mjs", dir, "--layout", layout, "--release", release, ...registry]);
}
const gpg = (args: string[]) => run("gpg", ["--homedir", gnupg, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args]);

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "iamsession-release-"));
  gnupg = join(tmp, "gnupg");
  mkdirSync(gnupg, { mode: 0o700 });
  gpg(["--quick-gen-key", "iamsession release test <release-test@example.invalid>", "ed25519", "sign", "1d"]);
  const secretKey = gpg(["--armor", "--export-secret-keys"]);
  publicKey = join(tmp, "signing-key.asc");
  writeFileSync(publicKey, gpg(["--armor", "--export"]));
  releaseA = join(tmp, "release-a");
  releaseB = join(tmp, "release-b");
  // The commit's time, read once: both builds are of this commit even if HEAD moves while they run.
  const SOURCE_DATE_EPOCH = run("git", ["log", "-1", "--format=%ct"]).trim();
  for (const out of [releaseA, releaseB]) {
    run(process.execPath, ["scripts/release.mjs", "--out", out], { GPG_PRIVATE_KEY: secretKey, SOURCE_DATE_EPOCH });
  }
  served = join(tmp, "served");
  mkdirSync(served);
  https = await serveHttpsStatic(served);
  for (const layout of LAYOUTS) {
    mirrors[layout] = layout === "network" || layout === "registry" ? join(served, layout) : join(tmp, `mirror-${layout}`);
    layOut(mirrors[layout], layout, releaseA);
  }
  noNode = join(tmp, "empty-path");
  mkdirSync(noNode);
}, 30 * 60_000);

afterAll(async () => {
  await https?.close();
  try {
    execFileSync("gpgconf", ["--homedir", gnupg, "--kill", "gpg-agent"], { stdio: "ignore" });
  } catch {
    // no agent
  }
  rmSync(tmp, { recursive: true, force: true });
});

const sums = (dir: string) =>
  Object.fromEntries(
    readFileSync(join(dir, `${NAME}_${VERSION}_SHA256SUMS`), "utf8")
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).reverse() as [string, string]),
  );

describe("npm run release", () => {
  it("writes every platform's zip, the manifest, SHA256SUMS and its signature, in the goreleaser layout", () => {
    expect(readdirSync(releaseA).sort()).toEqual(
      [
        ...PLATFORMS.map((p) => `${NAME}_${VERSION}_${p}.zip`),
        `${NAME}_${VERSION}_SHA256SUMS`,
        `${NAME}_${VERSION}_SHA256SUMS.sig`,
        `${NAME}_${VERSION}_manifest.json`,
      ].sort(),
    );
    expect(JSON.parse(readFileSync(join(releaseA, `${NAME}_${VERSION}_manifest.json`), "utf8"))).toEqual({
      version: 1,
      metadata: { protocol_versions: ["6.0"] },
    });
    const listed = sums(releaseA);
    expect(Object.keys(listed).sort()).toEqual(
      [...PLATFORMS.map((p) => `${NAME}_${VERSION}_${p}.zip`), `${NAME}_${VERSION}_manifest.json`].sort(),
    );
    for (const [file, hash] of Object.entries(listed)) {
      expect(run("sha256sum", [join(releaseA, file)]).split(" ")[0], file).toBe(hash);
    }
    // Each zip holds exactly the executable, named as the CLIs look for it, executable by everyone.
    const listing = run("python3", ["-c", `import sys, zipfile
for p in sys.argv[1:]:
    z = zipfile.ZipFile(p)
    print(" ".join(f"{i.filename}:{oct(i.external_attr >> 16)}" for i in z.infolist()))`, ...PLATFORMS.map((p) => join(releaseA, `${NAME}_${VERSION}_${p}.zip`))]);
    expect(listing.trim().split("\n")).toEqual(
      PLATFORMS.map((p) => `${NAME}_v${VERSION}${p.startsWith("windows") ? ".exe" : ""}:0o100755`),
    );
  });

  it("signs SHA256SUMS with the key from the environment (a detached signature that gpg verifies)", () => {
    const sumsFile = join(releaseA, `${NAME}_${VERSION}_SHA256SUMS`);
    const out = execFileSync("gpg", ["--homedir", gnupg, "--batch", "--status-fd", "1", "--verify", `${sumsFile}.sig`, sumsFile], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    expect(out).toMatch(/\[GNUPG:\] GOODSIG [0-9A-F]+ iamsession release test/);
    // A changed SHA256SUMS no longer verifies.
    const tampered = join(tmp, "tampered");
    writeFileSync(tampered, readFileSync(sumsFile, "utf8").replace(/^./, (c) => (c === "0" ? "1" : "0")));
    expect(() => execFileSync("gpg", ["--homedir", gnupg, "--batch", "--verify", `${sumsFile}.sig`, tampered], { stdio: "pipe" })).toThrow();
  });

  it("ships the Linux executables stripped, as Go providers are, keeping the dynamic symbols addons link against", () => {
    // The CLIs hash the whole package at the start of every command: its size is time (scripts/build-sea.mjs).
    for (const platform of PLATFORMS.filter((p) => p.startsWith("linux_"))) {
      const dir = join(tmp, `unzipped-${platform}`);
      run("python3", ["-c", "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])", join(releaseA, `${NAME}_${VERSION}_${platform}.zip`), dir]);
      const sections = run("llvm-readelf", ["--section-headers", "--wide", join(dir, `${NAME}_v${VERSION}`)]);
      const names = new Set([...sections.matchAll(/^\s*\[\s*\d+\]\s+(\S+)/gm)].map((m) => m[1]!));
      expect(names.has(".dynsym"), platform).toBe(true);
      expect(names.has(".text"), platform).toBe(true);
      expect([...names].filter((n) => n === ".symtab" || n === ".strtab" || n.startsWith(".debug")), platform).toEqual([]);
    }
  });

  it("is reproducible: a second build of the same commit gives byte-identical zips and SHA256SUMS", () => {
    for (const file of readdirSync(releaseA).filter((f) => !f.endsWith(".sig"))) {
      expect(readFileSync(join(releaseB, file)).equals(readFileSync(join(releaseA, file))), file).toBe(true);
    }
  });

  it("fails with one clear line when no signing key is given", () => {
    let stderr = "";
    try {
      run(process.execPath, ["scripts/release.mjs", "--out", join(tmp, "unsigned"), "--platform", "linux_amd64"], { GPG_PRIVATE_KEY: "" });
    } catch (err) {
      stderr = String((err as { stderr?: string }).stderr);
    }
    expect(stderr).toBe("release: GPG_PRIVATE_KEY is not set: export an ASCII-armored secret key (or pass --unsigned)\n");
  });
});

function cliConfig(wd: Workdir, config: string): void {
  writeFileSync(wd.env.TF_CLI_CONFIG_FILE!, config);
}
const fsMirror = (dir: string) => `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(dir)}\n  }\n}\n`;
const netMirror = (url: string) => `provider_installation {\n  network_mirror {\n    url = ${JSON.stringify(url)}\n  }\n}\n`;
/** The registry's host is registry.terraform.io, as in the users' configurations: service discovery points at ours. */
const registry = (url: string) => `host "registry.terraform.io" {\n  services = {\n    "providers.v1" = ${JSON.stringify(`${url}v1/providers/`)}\n  }\n}\n`;
const urlOf = (dir: string) => `${https.url}${dir.slice(served.length + 1)}/`;
function installation(layout: Layout, dir = mirrors[layout]): string {
  if (layout === "network") return netMirror(urlOf(dir));
  if (layout === "registry") return registry(urlOf(dir));
  return fsMirror(dir);
}

function lockHashes(wd: Workdir): string[] {
  const lock = readFileSync(join(wd.dir, ".terraform.lock.hcl"), "utf8");
  return [...lock.matchAll(/"((?:h1|zh):[^"]+)"/g)].map((m) => m[1]!).sort();
}

describe.each(cliBinaries())("$name installs the release", (cli: Cli) => {
  const workdir = () => makeWorkdir({ "main.tf": MAIN_TF }, { PATH: noNode, SSL_CERT_FILE: https.caFile });

  it.each(LAYOUTS)("from the %s layout, with no node on PATH, and runs it", { timeout: 5 * 60_000 }, async (layout) => {
    const wd = workdir();
    cliConfig(wd, installation(layout));
    await tfOk(wd, cli, ["init", "-input=false"]);
    // validate starts the provider (schema + validation): the single executable runs with no Node installed.
    await tfOk(wd, cli, ["validate"]);
    const bad = makeWorkdir({ "main.tf": MAIN_TF.replace('"1800"', '"5"') }, { PATH: noNode, SSL_CERT_FILE: https.caFile });
    cliConfig(bad, installation(layout));
    await tfOk(bad, cli, ["init", "-input=false"]);
    const invalid = await tf(bad, cli, ["validate"]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain("session_invalidation_in_seconds");
  });

  it("locks every built platform: h1: from mirrors, h1: and zh: from the registry; a rebuilt release keeps the lock valid", async () => {
    const platforms = PLATFORMS.map((p) => `-platform=${p}`);
    const h1 = (
      JSON.parse(readFileSync(join(mirrors.network, "registry.terraform.io/iamsession/iamsession", `${VERSION}.json`), "utf8"))
        .archives as Record<string, { hashes: string[] }>
    );
    const h1All = PLATFORMS.map((p) => h1[p]!.hashes.find((h) => h.startsWith("h1:"))!).sort();
    // zh: is every entry of the signed SHA256SUMS (the CLIs record them all, the manifest's included).
    const zhAll = Object.values(sums(releaseA)).map((hash) => `zh:${hash}`).sort();

    const fromFs = workdir();
    cliConfig(fromFs, fsMirror(mirrors.packed));
    await tfOk(fromFs, cli, ["providers", "lock", `-fs-mirror=${mirrors.packed}`, ...platforms]);
    expect(lockHashes(fromFs)).toEqual(h1All);

    // From a network mirror, Terraform records h1: only; OpenTofu also records the zips' zh: the mirror reports.
    const fromNet = workdir();
    cliConfig(fromNet, netMirror(urlOf(mirrors.network)));
    await tfOk(fromNet, cli, ["providers", "lock", `-net-mirror=${urlOf(mirrors.network)}`, ...platforms]);
    const zhZips = PLATFORMS.map((p) => `zh:${sums(releaseA)[`${NAME}_${VERSION}_${p}.zip`]}`);
    expect(lockHashes(fromNet)).toEqual(cli.name === "tofu" ? [...h1All, ...zhZips].sort() : h1All);

    const wd = workdir();
    cliConfig(wd, installation("registry"));
    await tfOk(wd, cli, ["providers", "lock", ...platforms]);
    expect(lockHashes(wd)).toEqual([...h1All, ...zhAll].sort());

    // The second build of the same commit, in every layout: that lock file still matches, unchanged.
    for (const layout of LAYOUTS) {
      const rebuilt = join(served, `rebuilt-${layout}-${cli.name}`);
      layOut(rebuilt, layout, releaseB);
      cliConfig(wd, installation(layout, rebuilt));
      rmSync(join(wd.dir, ".terraform"), { recursive: true, force: true });
      await tfOk(wd, cli, ["init", "-input=false", "-lockfile=readonly"]);
      await tfOk(wd, cli, ["validate"]);
    }
    expect(lockHashes(wd)).toEqual([...h1All, ...zhAll].sort());
  }, 15 * 60_000);
});
