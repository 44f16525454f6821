// The guard at work: the organisation allows at most 30 idle minutes and no unlimited sessions, and this stack
// breaks both (a relaxed sandbox policy, and a hand-written resource left at the service default). Synthesis fails
// and lists every violation; nothing reaches Terraform.
import { Aspects, TerraformStack, type App } from "cdktf";
import {
  AccountSettings,
  Duration,
  IamsessionProvider,
  LoginSessionPolicy,
  NOT_SET,
  PolicyPresets,
  SessionPolicyGuard,
} from "../lib/index.ts";
import { listFromEnv, runApp } from "../run-app.ts";

export const STACK_NAME = "guarded";

export const ORGANISATION_LIMITS = { maxIdle: Duration.minutes(30), forbidUnlimitedSessions: true } as const;

export function buildGuarded(
  app: App,
  sandboxes = listFromEnv("IAMSESSION_SANDBOX_ACCOUNT_IDS", ["sandbox-1", "sandbox-2"]),
  legacyAccount = process.env.IAMSESSION_LEGACY_ACCOUNT_ID ?? "legacy-tools",
): TerraformStack {
  const stack = new TerraformStack(app, STACK_NAME);
  new IamsessionProvider(stack, "iamsession");
  new LoginSessionPolicy(stack, "sandboxes", { accounts: sandboxes, ...PolicyPresets.relaxed });
  new AccountSettings(stack, "legacy", {
    accountId: legacyAccount,
    sessionInvalidationInSeconds: NOT_SET,
    maxSessionsPerIdentity: "10",
  });
  Aspects.of(stack).add(new SessionPolicyGuard(ORGANISATION_LIMITS));
  return stack;
}

runApp(import.meta.url, (app) => buildGuarded(app));
