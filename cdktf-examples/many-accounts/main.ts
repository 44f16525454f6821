// A platform team's fleet: every account in a list gets the financial preset, and a SessionPolicyGuard makes sure
// nothing in the stack (a later edit, an override) drifts above the organisation's limits.
import { App, Aspects, TerraformStack } from "cdktf";
import { Duration, IamsessionProvider, LoginSessionPolicy, PolicyPresets, SessionPolicyGuard } from "@iamsession/cdktf";

/** The accounts under the policy; IAMSESSION_ACCOUNT_IDS (comma-separated) replaces this list. */
const accounts = (process.env.IAMSESSION_ACCOUNT_IDS ?? "payments-prod,payments-staging,ledger-prod")
  .split(",")
  .map((s) => s.trim())
  .filter(Boolean);

const app = new App();
const stack = new TerraformStack(app, "many-accounts");
new IamsessionProvider(stack, "iamsession");
new LoginSessionPolicy(stack, "financial", { accounts, ...PolicyPresets.financial });
Aspects.of(stack).add(
  new SessionPolicyGuard({ maxIdle: Duration.minutes(15), maxLifetime: Duration.hours(1), forbidUnlimitedSessions: true }),
);
app.synth();
