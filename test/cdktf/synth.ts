// Shared by the CDKTF unit tests: a stack with the provider, synthesised to plain JSON (vitest has no CDKTF
// matchers), and the validation errors synthesis would fail with.
import { TerraformStack, Testing } from "cdktf";
import { IamsessionProvider } from "../../constructs/lib/index.js";

export function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "stack");
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
