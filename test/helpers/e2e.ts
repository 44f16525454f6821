// Small pieces every end-to-end test file needs: the provider's HCL preamble, the docs' examples, unique ids,
// the API's request count (to prove validation made no call), a port nothing listens on, and the drift check run
// as CI runs it.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import type { ApiServer } from "./api-server.ts";
import { REPO_ROOT, type Cli, type Workdir } from "./tf.ts";

/** `required_providers` for iamsession, by its short source address (works with both CLIs through the mirror). */
export const REQUIRED_PROVIDERS = `
terraform {
  required_providers {
    iamsession = { source = "iamsession/iamsession" }
  }
}
`;

/** The preamble plus an empty provider block: endpoint and token come from IAMSESSION_ENDPOINT / IAMSESSION_TOKEN. */
export const PROVIDER = `${REQUIRED_PROVIDERS}provider "iamsession" {}\n`;

/** A file under examples/, as the docs show it. */
export const example = (path: string): string => readFileSync(join(REPO_ROOT, "examples", path), "utf8");

/** A short random suffix, so tests sharing one API server never share an account or enterprise. */
export const unique = (): string => Math.random().toString(36).slice(2, 8);

/** Requests the API has logged (one stderr line per request), to prove that validation made none. */
export const apiRequests = (server: ApiServer): number => server.stderr().split("\n").filter((l) => l.includes("/v1/")).length;

/** A port nothing listens on: bound, then released. */
export function closedPort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) =>
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    }),
  );
}

export interface CommandRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, collecting what it prints. */
export function runCommand(command: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...opts, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `iamsession-drift --cli <cli> [args] <workdir>` in the workdir's environment (plus `env`), as CI runs it. */
export function runDrift(cli: Cli, wd: Workdir, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<CommandRun> {
  return runCommand(process.execPath, [join(REPO_ROOT, "bin/iamsession-drift.mjs"), "--cli", cli.path, ...args, wd.dir], {
    cwd: wd.dir,
    env: { ...wd.env, ...env },
  });
}
