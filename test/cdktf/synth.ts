// Shared by the CDKTF unit tests: a stack with the provider, synthesised to plain JSON (vitest has no CDKTF
// matchers), and the validation errors synthesis would fail with.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { onTestFinished } from "vitest";
import { IamsessionProvider } from "../../constructs/lib/index.js";

/**
 * A stack in a fresh app, inside a test. Testing.app() would mkdtemp an outdir (the App creates it) and never remove
 * it; Testing.synth only renders JSON, so the outdir stays empty: it is ours, removed when the test ends, passed or
 * not.
 */
export function newStack(): TerraformStack {
  const outdir = mkdtempSync(join(tmpdir(), "iamsession-cdktf-"));
  onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
  const stack = new TerraformStack(Testing.app({ outdir }), "stack");
  new IamsessionProvider(stack, "iamsession");
  return stack;
}

export interface Synthesised {
  resource?: { iamsession_account_settings?: Record<string, Record<string, unknown>> };
  provider?: Record<string, unknown>;
  terraform?: { required_providers?: Record<string, { source: string; version?: string }> };
}

/** The synthesised JSON with validations run, as `cdktf synth` would. */
export function synth(stack: TerraformStack): Synthesised {
  return JSON.parse(Testing.synth(stack, true)) as Synthesised;
}

/** The account settings resources, keyed by account_id. */
export function accountSettings(stack: TerraformStack): Record<string, Record<string, unknown>> {
  const resources = synth(stack).resource?.iamsession_account_settings ?? {};
  return Object.fromEntries(Object.values(resources).map((r) => [r.account_id as string, r]));
}

/** The lines of the validation error synthesis fails with (`[path] message`), or [] when it succeeds. */
export function validationErrors(stack: TerraformStack): string[] {
  try {
    Testing.synth(stack, true);
    return [];
  } catch (err) {
    const message = (err as Error).message;
    if (!message.startsWith("Validation failed")) throw err;
    return message
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l.startsWith("["));
  }
}
