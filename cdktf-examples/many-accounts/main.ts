// A platform team's fleet: every account in a list gets the financial preset, and a SessionPolicyGuard makes sure
// nothing in the stack (a later edit, an override) drifts above the organisation's limits.
import { Aspects, TerraformStack, type App } from "cdktf";
import { Duration, IamsessionProvider, LoginSessionPolicy, PolicyPresets, SessionPolicyGuard } from "../lib/index.ts";
import { listFromEnv, runApp } from "../run-app.ts";

export const STACK_NAME = "many-accounts";

/** The accounts under the policy; IAMSESSION_ACCOUNT_IDS (comma-separated) replaces this list. */
export const DEFAULT_ACCOUNTS = ["payments-prod", "payments-staging", "ledger-prod"];

export function buildManyAccounts(app: App, accounts = listFromEnv("IAMSESSION_ACCOUNT_IDS", DEFAULT_ACCOUNTS)): TerraformStack {
  const stack = new TerraformStack(app, STACK_NAME);
  new IamsessionProvider(stack, "iamsession");
  new LoginSessionPolicy(stack, "financial", { accounts, ...PolicyPresets.financial });
  Aspects.of(stack).add(
    new SessionPolicyGuard({ maxIdle: Duration.minutes(15), maxLifetime: Duration.hours(1), forbidUnlimitedSessions: true }),
  );
  return stack;
}

runApp(import.meta.url, (app) => buildManyAccounts(app));
