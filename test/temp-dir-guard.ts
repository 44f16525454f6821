// vitest global setup, listed first so that its teardown runs last: gives the run its own temp directory and fails
// the run if the tests left anything in it. Every test, helper, CLI and browser the suite starts inherits TMPDIR
// (vitest forks its workers after the global setups, with this process's environment; Node's os.tmpdir(), Go's
// os.TempDir (Terraform, OpenTofu), Python's tempfile and Chromium all read TMPDIR). What a test creates there and
// does not remove (also when it fails) would otherwise pile up in /tmp run after run.
import { lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const PREFIX = "iamsession-test-run-";
const VARIABLES = ["TMPDIR", "TMP", "TEMP"] as const;

/**
 * What tools keep in the temp directory on purpose, across runs: not a test's leftover (removed with the run's
 * directory all the same). tsx (the API server and the scripts run under it) keeps its transform cache in
 * tsx-<uid>; npm and TypeScript's tsc turn on Node's module compile cache (Node 22+; the CDK Terrain tests run npm
 * on Node 24), node-compile-cache.
 */
const TOOL_CACHES = new Set([`tsx-${process.geteuid?.() ?? userInfo().username}`, "node-compile-cache"]);

/** Entries of `dir` (relative paths), with their sizes: what a test left behind. */
function leftovers(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !TOOL_CACHES.has(name))
    .sort()
    .map((name) => {
      const { files, bytes } = measure(join(dir, name));
      return `${name} (${files} file${files === 1 ? "" : "s"}, ${Math.ceil(bytes / 1024)} KiB)`;
    });
}

function measure(path: string): { files: number; bytes: number } {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (!st) return { files: 0, bytes: 0 };
  if (!st.isDirectory()) return { files: 1, bytes: st.size };
  let files = 0;
  let bytes = 0;
  for (const name of readdirSync(path)) {
    const m = measure(join(path, name));
    files += m.files;
    bytes += m.bytes;
  }
  return { files, bytes };
}

/** Run directories of runs that were interrupted (their vitest process is gone): removed, said so. */
function removeInterruptedRuns(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(/^iamsession-test-run-(\d+)-/.exec(name)?.[1]);
    if (!pid || alive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    console.warn(`temp-dir guard: removed ${join(parent, name)}, left by an interrupted test run`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // someone else's process: not ours to judge
  }
}

export default function setup(): () => Promise<void> {
  const parent = tmpdir();
  removeInterruptedRuns(parent);
  const runDir = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
  const saved = Object.fromEntries(VARIABLES.map((v) => [v, process.env[v]]));
  for (const v of VARIABLES) process.env[v] = runDir;

  return async () => {
    for (const v of VARIABLES) {
      if (saved[v] === undefined) delete process.env[v];
      else process.env[v] = saved[v];
    }
    // A child process may still be finishing its own clean-up (the provider removes its socket directory when it
    // exits): look again after a moment before calling anything a leftover.
    let left = leftovers(runDir);
    if (left.length > 0) {
      await sleep(2000);
      left = leftovers(runDir);
    }
    rmSync(runDir, { recursive: true, force: true });
    if (left.length === 0) return;
    // Thrown, vitest prints it ("error during close") but keeps the exit code: set it.
    process.exitCode = 1;
    const entries = `${left.length} entr${left.length === 1 ? "y" : "ies"}`;
    throw new Error(
      `temp-dir guard: the tests left ${entries} in their temp directory ${runDir} (now removed); each test must ` +
        `remove what it creates there, also when it fails (afterAll/afterEach/onTestFinished/finally):\n` +
        left.map((l) => `  ${l}`).join("\n"),
    );
  };
}
