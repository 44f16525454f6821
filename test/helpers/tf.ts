// Harness for end-to-end tests against the REAL Terraform and OpenTofu CLIs.
//
// How a test uses it (test/global-setup.ts has already built the provider, laid out the filesystem mirror and
// resolved the CLIs once per run):
//
//   import { describe, expect, it } from "vitest";
//   import { cliBinaries, makeWorkdir, tf, tfOk, tfJson } from "../helpers/tf.ts";
//
//   describe.each(cliBinaries())("$name", (cli) => {
//     it("applies", async () => {
//       const wd = makeWorkdir({ "main.tf": `...` }, { IAMSESSION_ENDPOINT: url });
//       await tfOk(wd, cli, ["init"]);
//       await tfOk(wd, cli, ["apply", "-auto-approve"]);
//       const state = await tfJson(wd, cli, ["show", "-json"]);
//     });
//   });
//
// Every working directory gets its own CLI configuration whose only provider source is the filesystem mirror
// (registry.terraform.io and registry.opentofu.org hosts), so `init` never touches the network, and a fresh lock
// file is written each time (so a rebuilt provider never hits a checksum mismatch).
import { spawn, spawnSync } from "node:child_process";
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inject, onTestFinished, TestRunner } from "vitest";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

export interface Cli {
  /** "terraform" or "tofu": also a good test name (`describe.each(cliBinaries())("$name", …)`). */
  name: "terraform" | "tofu";
  path: string;
}

export interface Workdir {
  dir: string;
  /** The environment the CLI runs with (TF_CLI_CONFIG_FILE pointing at the mirror-only config, …). */
  env: NodeJS.ProcessEnv;
  /** Removes the directory. Tests may skip it: everything lives under one temp root removed at teardown. */
  cleanup(): void;
}

export interface TfResult {
  code: number;
  stdout: string;
  stderr: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Filesystem mirror holding the built iamsession provider (and the test fixture provider). */
    tfMirrorDir: string;
    /** The CLIs every e2e test runs against. */
    tfClis: Cli[];
    /** Temp root for working directories, removed at teardown. */
    tfTempRoot: string;
    /** The provider's single executable for this machine's platform (what the mirror holds). */
    providerExecutable: string;
  }
}

/** Whether this is CI, where a missing tool fails the run instead of skipping a test. */
export const isCi = () => process.env.CI === "true" || process.env.CI === "1";

/** The executable `command` on PATH, if any. */
export function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

function cliName(path: string): Cli["name"] {
  return basename(path).includes("tofu") ? "tofu" : "terraform";
}

function missing(what: string, fix: string): never {
  throw new Error(
    isCi()
      ? `${what} is required in CI and was not found (never skipped). ${fix}`
      : `${what} was not found. Fix: ${fix}`,
  );
}

/**
 * Finds the CLIs to test against (slow the first time: may build OpenTofu, ~4 min). Used by the global setup;
 * tests call cliBinaries(). TF_BINARY=/path/to/cli restricts the run to that one CLI; otherwise both
 * `terraform` (from PATH) and OpenTofu (`tofu` from PATH, else built and cached by scripts/build-tofu.sh).
 * A missing CLI is an error, in CI and outside it.
 */
export function resolveCliBinaries(): Cli[] {
  const only = process.env.TF_BINARY;
  if (only) {
    const path = only.includes("/") ? resolve(only) : onPath(only);
    if (!path) missing(`TF_BINARY=${only}`, "point TF_BINARY at an executable terraform or tofu binary");
    try {
      accessSync(path, constants.X_OK);
    } catch {
      missing(`TF_BINARY=${only}`, "point TF_BINARY at an executable terraform or tofu binary");
    }
    return [{ name: cliName(path), path }];
  }
  const terraform = onPath("terraform");
  if (!terraform) missing("terraform", "install Terraform (>= 1.5) on PATH, or set TF_BINARY to test one CLI only");
  let tofu = onPath("tofu");
  if (!tofu) {
    const built = spawnSync("bash", [join(REPO_ROOT, "scripts/build-tofu.sh")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    tofu = built.status === 0 ? built.stdout.trim().split("\n").pop() : undefined;
    if (!tofu) missing("OpenTofu", "run `bash scripts/build-tofu.sh` (needs Go) or put `tofu` on PATH");
  }
  return [
    { name: "terraform", path: terraform },
    { name: "tofu", path: tofu },
  ];
}

function provided<K extends "tfMirrorDir" | "tfClis" | "tfTempRoot" | "providerExecutable">(key: K) {
  try {
    const value = inject(key);
    if (value !== undefined) return value;
  } catch {
    // not inside a vitest worker
  }
  throw new Error(`${key} is not provided: add globalSetup: ["test/global-setup.ts"] to vitest.config.ts`);
}

/** The CLIs resolved by the global setup (for `describe.each`). */
export function cliBinaries(): Cli[] {
  return provided("tfClis");
}

/** The provider's single executable built by the global setup (the one the mirror holds). */
export function providerExecutable(): string {
  return provided("providerExecutable");
}

/** The filesystem mirror directory laid out by the global setup. */
export function mirrorDir(): string {
  return provided("tfMirrorDir");
}

/** The CLI configuration file content: the mirror as the only installation source, nothing else. */
export function cliConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`;
}

/** Variables that would make runs depend on the developer's machine. */
const SCRUBBED = /^(TF_LOG|TF_LOG_PATH|TF_LOG_CORE|TF_LOG_PROVIDER|TF_CLI_ARGS.*|TF_PLUGIN_CACHE_DIR|TF_DATA_DIR|TF_WORKSPACE|TF_VAR_.*|TF_REATTACH_PROVIDERS|IAMSESSION_PLUGIN_NETWORK)$/;

/**
 * A fresh working directory with `files` (relative paths → content) and a CLI configuration pointing at the
 * mirror. `env` is added to the CLI's environment (e.g. IAMSESSION_ENDPOINT, or TF_LOG: "trace" to debug).
 */
export function makeWorkdir(files: Record<string, string>, env: NodeJS.ProcessEnv = {}): Workdir {
  const root = provided("tfTempRoot");
  mkdirSync(root, { recursive: true });
  const dir = mkdtempSync(join(root, "wd-"));
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  const configFile = join(dir, ".terraformrc");
  writeFileSync(configFile, cliConfig(mirrorDir()));
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !SCRUBBED.test(k)));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // Made in a test, it goes when the test ends, passed or not: once `init` has run it holds a copy of the ~120 MB
  // provider executable, and a run makes a hundred. Made in a hook, it goes with the run's temp root (global setup).
  if (TestRunner.getCurrentTest()) onTestFinished(cleanup);
  return {
    dir,
    env: {
      ...base,
      // The environment points TF_CLI_CONFIG_FILE at a nonexistent file: always override it.
      TF_CLI_CONFIG_FILE: configFile,
      TF_IN_AUTOMATION: "1",
      CHECKPOINT_DISABLE: "1",
      TF_INPUT: "0",
      ...env,
    },
    cleanup,
  };
}

export interface TfOptions {
  /** Milliseconds before the CLI is killed (SIGTERM, then SIGKILL): default 120 000. */
  timeoutMs?: number;
  /** Extra environment for this one command. */
  env?: NodeJS.ProcessEnv;
  /** Written to the CLI's stdin (stdin is otherwise empty). */
  input?: string;
}

/** Runs the CLI in the working directory; never throws for a non-zero exit (see tfOk). `-no-color` is added. */
export function tf(wd: Workdir, cli: Cli, args: string[], opts: TfOptions = {}): Promise<TfResult> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  // Both CLIs accept -no-color on every command (they strip it globally).
  const fullArgs = args.includes("-no-color") ? args : [...args, "-no-color"];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cli.path, fullArgs, { cwd: wd.dir, env: { ...wd.env, ...opts.env }, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.end(opts.input ?? "");
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\n[tf helper] ${cli.name} ${args.join(" ")} timed out after ${timeoutMs} ms`;
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Like tf, but throws (with the whole output) unless the exit code is 0 (or one of `okCodes`). */
export async function tfOk(wd: Workdir, cli: Cli, args: string[], opts: TfOptions & { okCodes?: number[] } = {}) {
  const result = await tf(wd, cli, args, opts);
  if (!(opts.okCodes ?? [0]).includes(result.code)) {
    throw new Error(
      `${cli.name} ${args.join(" ")} exited ${result.code}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
    );
  }
  return result;
}

/** Runs a command that prints JSON (`show -json`, `state pull`, `output -json`, `providers schema -json`). */
export async function tfJson<T = any>(wd: Workdir, cli: Cli, args: string[], opts: TfOptions = {}): Promise<T> {
  const { stdout } = await tfOk(wd, cli, args, opts);
  return JSON.parse(stdout) as T;
}

/** `init` from the mirror (no network), failing the test when it fails. */
export function tfInit(wd: Workdir, cli: Cli): Promise<TfResult> {
  return tfOk(wd, cli, ["init", "-input=false"]);
}

/** The resources of `show -json` state, by address (values only). */
export async function stateResources(wd: Workdir, cli: Cli): Promise<Record<string, Record<string, unknown>>> {
  const show = await tfJson(wd, cli, ["show", "-json"]);
  const out: Record<string, Record<string, unknown>> = {};
  for (const r of show.values?.root_module?.resources ?? []) out[r.address] = r.values;
  return out;
}
