// Runs the real Terraform or OpenTofu CLI in a working directory.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `--cli`, then TF_BINARY, then terraform or tofu on PATH. */
export function resolveCli(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env.TF_BINARY;
  if (chosen) return chosen;
  for (const name of ["terraform", "tofu"]) {
    for (const dir of (env.PATH ?? "").split(delimiter)) {
      if (dir && existsSync(join(dir, name))) return join(dir, name);
    }
  }
  throw new Error("no Terraform or OpenTofu CLI found: put terraform or tofu on PATH, or set TF_BINARY or --cli");
}

export function runCli(cli: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { cwd, env: { ...env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
