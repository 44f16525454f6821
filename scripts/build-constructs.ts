// Builds the construct library (constructs/) with jsii, for both CDK lines from one source:
//   cdktf — constructs/ itself: @iamsession/cdktf on cdktf 0.21 (Python: iamsession-cdktf / iamsession_cdktf);
//   cdktn — constructs/flavours/cdktn/, written here: the same sources importing `cdktn`, bindings from
//           @cdktn/provider-generator: @iamsession/cdktn on cdktn 0.24 (Python: iamsession-cdktn / iamsession_cdktn).
// For each: jsii (lib/, .jsii), `npm pack` (dist/*.tgz, what an example installs outside the repository) and, with
// --python, jsii-pacmak's Python source (dist/python/, pip-installable). A flavour whose inputs have not changed
// since its last build is skipped (dist/.build-stamp), so tests can call this freely.
//
//   npx tsx scripts/build-constructs.ts [--flavour cdktf|cdktn] [--python]     prints one JSON line per flavour
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { SCHEMA_PATH, bindingSources, cdktnBindings } from "./generators/construct-library.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const LIBRARY = join(root, "constructs");
const bin = (name: string) => join(root, "node_modules", ".bin", name);

export type Flavour = "cdktf" | "cdktn";
export const FLAVOURS: Flavour[] = ["cdktf", "cdktn"];

export interface BuiltLibrary {
  flavour: Flavour;
  /** The package directory (lib/, .jsii). */
  dir: string;
  /** The npm package name. */
  name: string;
  /** `npm pack` of the package: what `npm install <tarball>` takes. */
  tarball: string;
  /** jsii-pacmak's Python package source (only with python: true). */
  python?: string;
  /** The Python module name (`import iamsession_cdktf`). */
  pythonModule: string;
}

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out;
}

function hashOf(paths: string[], extra: string): string {
  const h = createHash("sha256").update(extra);
  for (const p of paths) h.update(relative(root, p)).update(readFileSync(p));
  return h.digest("hex");
}

/** Writes constructs/flavours/cdktn: the library's sources for CDK Terrain, and its package.json. */
async function writeCdktnFlavour(dir: string): Promise<void> {
  rmSync(join(dir, "src"), { recursive: true, force: true });
  for (const file of files(join(LIBRARY, "src"))) {
    const rel = relative(LIBRARY, file);
    if (rel.startsWith(join("src", "provider"))) continue; // regenerated below by CDK Terrain's own generator
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), readFileSync(file, "utf8").replace(/from "cdktf"/g, 'from "cdktn"'));
  }
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, "utf8"));
  for (const { path, content } of await bindingSources(schema, await cdktnBindings(), "src/provider")) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  const pkg = JSON.parse(readFileSync(join(LIBRARY, "package.json"), "utf8"));
  pkg.name = "@iamsession/cdktn";
  pkg.description = pkg.description.replace("CDK for Terraform", "CDK Terrain");
  pkg.peerDependencies = { cdktn: "^0.24.0", constructs: pkg.peerDependencies.constructs };
  pkg.jsii.targets.python = { distName: "iamsession-cdktn", module: "iamsession_cdktn" };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  cpSync(join(LIBRARY, "README.md"), join(dir, "README.md"));
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION: "1", npm_config_loglevel: "error" },
  });
}

export async function buildLibrary(flavour: Flavour, opts: { python?: boolean } = {}): Promise<BuiltLibrary> {
  const dir = flavour === "cdktf" ? LIBRARY : join(LIBRARY, "flavours", flavour);
  const inputs = [...files(join(LIBRARY, "src")), join(LIBRARY, "package.json"), join(LIBRARY, "README.md"), SCHEMA_PATH, fileURLToPath(import.meta.url)];
  const stampKey = hashOf(inputs, `${flavour} python=${Boolean(opts.python)}`);
  const stampFile = join(dir, "dist", ".build-stamp");
  const pkgName = flavour === "cdktf" ? "@iamsession/cdktf" : "@iamsession/cdktn";
  const version = JSON.parse(readFileSync(join(LIBRARY, "package.json"), "utf8")).version;
  const result: BuiltLibrary = {
    flavour,
    dir,
    name: pkgName,
    tarball: join(dir, "dist", `iamsession-${flavour}-${version}.tgz`),
    python: opts.python ? join(dir, "dist", "python") : undefined,
    pythonModule: `iamsession_${flavour}`,
  };
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stampKey && existsSync(result.tarball)) return result;

  mkdirSync(dir, { recursive: true });
  if (flavour === "cdktn") await writeCdktnFlavour(dir);
  rmSync(join(dir, "dist"), { recursive: true, force: true });
  try {
    run(bin("jsii"), ["--silence-warnings=reserved-word", "--silence-warnings=metadata/missing-dev-dependency"], dir);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`jsii failed for the ${flavour} flavour in ${dir}:\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
  mkdirSync(join(dir, "dist"), { recursive: true });
  run("npm", ["pack", "--pack-destination", join(dir, "dist")], dir);
  if (opts.python) run(bin("jsii-pacmak"), ["--targets", "python", "--code-only", "--outdir", "dist"], dir);
  writeFileSync(stampFile, stampKey);
  return result;
}

async function main(args: string[]): Promise<void> {
  const at = args.indexOf("--flavour");
  const flavours = at >= 0 ? [args[at + 1] as Flavour] : FLAVOURS;
  for (const f of flavours) {
    if (!FLAVOURS.includes(f)) throw new Error(`--flavour must be one of ${FLAVOURS.join(", ")}`);
    console.log(JSON.stringify(await buildLibrary(f, { python: args.includes("--python") })));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main(process.argv.slice(2));
