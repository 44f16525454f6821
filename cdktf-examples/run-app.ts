// How every example's main.ts runs: build the stacks on an App and synthesise them into cdktf.out/ (or
// CDKTF_OUTDIR, which `cdktf synth` sets). A synthesis failure, such as a SessionPolicyGuard violation, is printed
// as its message and exits 1, so the output reads as a policy report rather than a stack trace.
import { App } from "cdktf";
import { fileURLToPath } from "node:url";

/** Synthesises when `moduleUrl` is the script node was started with; does nothing when the module is imported. */
export function runApp(moduleUrl: string, build: (app: App) => void): void {
  if (!process.argv[1] || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const app = new App();
  try {
    build(app);
    app.synth();
  } catch (err) {
    console.error((err as Error).message);
    process.exitCode = 1;
  }
}

/** A comma-separated list from the environment, or the fallback. */
export function listFromEnv(name: string, fallback: readonly string[]): string[] {
  const raw = process.env[name]?.trim();
  return raw ? raw.split(",").map((s) => s.trim()).filter(Boolean) : [...fallback];
}
