// One account's login-session limits, written in human units. The provider reads its endpoint and token from
// IAMSESSION_ENDPOINT / IAMSESSION_TOKEN at plan time, so neither is written into the synthesised JSON.
import { App, TerraformStack } from "cdktf";
import { Duration, IamsessionProvider, LoginSessionPolicy } from "@iamsession/cdktf";

const app = new App();
const stack = new TerraformStack(app, "single-account");
new IamsessionProvider(stack, "iamsession");
new LoginSessionPolicy(stack, "login-sessions", {
  accounts: process.env.IAMSESSION_ACCOUNT_ID ?? "acme-prod",
  maxIdle: Duration.minutes(30), //        session_invalidation_in_seconds = "1800"
  maxLifetime: Duration.hours(12), //      session_expiration_in_seconds   = "43200"
  maxSessionsPerIdentity: 3, //            max_sessions_per_identity       = "3"
});
app.synth();
