// Harness for the CDK end-to-end tests: the two CDK lines as their users run them. An example is copied to a fresh
// directory outside the repository, turned into the chosen line's flavour (CDK Terrain: imports and packages
// renamed, as a user migrating does), `npm install`ed with the construct library from its `npm pack` tarball, and
// then driven with the real `cdktf` / `cdktn` CLI, which runs Terraform or OpenTofu (TERRAFORM_BINARY_NAME).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { FLAVOURS, type Flavour } from "../../scripts/build-constructs.ts";
import { node24 } from "./node24.ts";
import { REPO_ROOT, makeWorkdir, mirrorDir, type Cli } from "./tf.ts";

export interface CdkLine {
  /** "cdktf" (CDK for Terraform 0.21) or "cdktn" (CDK Terrain 0.24). */
  name: Flavour;
  /** The Node binary the CLI (and the app it runs) needs. */
  node: string;
  /** The CLI's entry script. */
  cli: string;
  /** The construct library tarball of this line (built by the global setup). */
  tarball: string;
}

export async function cdkLine(name: Flavour): Promise<CdkLine> {
  if (!FLAVOURS.includes(name)) throw new Error(`unknown CDK line ${name}`);
  const version = JSON.parse(readFileSync(join(REPO_ROOT, "constructs", "package.json"), "utf8")).version;
  const libDir = name === "cdktf" ? join(REPO_ROOT, "constructs") : join(REPO_ROOT, "constructs", "flavours", name);
  return {
    name,
    node: name === "cdktf" ? process.execPath : await node24(),
    cli: name === "cdktf" ? join(REPO_ROOT, "node_modules/cdktf-cli/bundle/bin/cdktf") : join(REPO_ROOT, "node_modules/cdktn-cli/bin/cdktn"),
    tarball: join(libDir, "dist", `iamsession-${name}-${version}.tgz`),
  };
}

/** The CDK Terrain flavour of a TypeScript example: what `cdktf` → `cdktn` means for a user's own files. */
function toCdktn(dir: string): void {
  const pkgPath = join(dir, "package.json");
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8"));
  delete pkg.dependencies.cdktf;
  delete pkg.dependencies["@iamsession/cdktf"];
  pkg.dependencies.cdktn = "^0.24.0";
  pkg.dependencies["@iamsession/cdktn"] = "^0.1.0";
  for (const [k, v] of Object.entries<string>(pkg.scripts ?? {})) pkg.scripts[k] = v.replace(/^cdktf /, "cdktn ");
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts"))) {
    const path = join(dir, file);
    writeFileSync(path, readFileSync(path, "utf8").replace(/from "cdktf"/g, 'from "cdktn"').replace(/"@iamsession\/cdktf"/g, '"@iamsession/cdktn"'));
  }
}

export interface CdkResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Environment for the CLI: the mirror-only CLI configuration, the line's Node first on PATH, no telemetry. */
export function cdkEnv(line: CdkLine, cli: Cli | undefined, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { env } = makeWorkdir({}); // a CLI configuration file whose only provider source is the mirror
  return {
    ...env,
    PATH: `${dirname(line.node)}${delimiter}${process.env.PATH}`,
    CI: "1",
    FORCE_COLOR: "0",
    CDKTF_DISABLE_PLUGIN_CACHE_ENV: "1",
    ...(cli ? { TERRAFORM_BINARY_NAME: cli.path } : {}),
    ...extra,
  };
}

/** Runs the line's CLI in `dir`; never throws for a non-zero exit. */
export function cdk(line: CdkLine, dir: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000): Promise<CdkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(line.node, [line.cli, ...args], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) });
    });
  });
}

export async function cdkOk(line: CdkLine, dir: string, args: string[], env: NodeJS.ProcessEnv): Promise<CdkResult> {
  const r = await cdk(line, dir, args, env);
  if (r.code !== 0) throw new Error(`${line.name} ${args.join(" ")} exited ${r.code} in ${dir}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function stripAnsi(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, "");
}

/**
 * Copies cdktf-examples/<example> to a fresh directory outside the repository, in the line's flavour, and runs
 * `npm install <library tarball>` there (the rest of package.json comes from the npm registry), then
 * `cdktf get` / `cdktn get`, which generates .gen/ from the filesystem mirror's provider.
 */
export async function prepareExample(line: CdkLine, example: string, root: string): Promise<string> {
  const dir = mkdtempSync(join(root, `${line.name}-${example}-`));
  cpSync(join(REPO_ROOT, "cdktf-examples", example), dir, {
    recursive: true,
    filter: (src) => !/(node_modules|cdktf\.out|\.gen)$/.test(src) && !src.endsWith(".tfstate"),
  });
  if (line.name === "cdktn") toCdktn(dir);
  const env = cdkEnv(line, undefined, {});
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", line.tarball], dir, env);
  await cdkOk(line, dir, ["get"], env);
  return dir;
}

/** A second copy of a prepared example (node_modules and .gen included, no synthesised output or state). */
export function copyPrepared(dir: string): string {
  const copy = `${dir}-2`;
  cpSync(dir, copy, { recursive: true, filter: (src) => !/cdktf\.out$/.test(src) && !src.endsWith(".tfstate"), verbatimSymlinks: true });
  return copy;
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited ${code} in ${cwd}\n${out}`))));
  });
}

export { mirrorDir };
