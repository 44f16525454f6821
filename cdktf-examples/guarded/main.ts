// The guard over everything that carries a login-session limit: an account policy, the enterprise's settings and a
// trusted profile. The enterprise and the profile are written with the raw bindings `cdktf get` generates into
// .gen/ (the guard checks any binding, not only the library's constructs). The stack passes as written; with
// IAMSESSION_LOOSEN=1 every part of it is loosened past the organisation's limits, and synthesis fails listing
// each violation, so nothing reaches Terraform.
import { App, Aspects, TerraformStack } from "cdktf";
import { Duration, IamsessionProvider, LoginSessionPolicy, PolicyPresets, SessionPolicyGuard, SettingValue } from "@iamsession/cdktf";
import { EnterpriseSettings } from "./.gen/providers/iamsession/enterprise-settings";
import { TrustedProfile } from "./.gen/providers/iamsession/trusted-profile";

const loosen = process.env.IAMSESSION_LOOSEN === "1";
const accountId = process.env.IAMSESSION_ACCOUNT_ID ?? "team-tools";
const enterpriseId = process.env.IAMSESSION_ENTERPRISE_ID ?? "acme";

const app = new App();
const stack = new TerraformStack(app, "guarded");
new IamsessionProvider(stack, "iamsession");
new LoginSessionPolicy(stack, "team", {
  accounts: accountId,
  ...PolicyPresets.balanced,
  // The relaxed preset's unlimited sessions are what forbidUnlimitedSessions is for.
  ...(loosen ? PolicyPresets.relaxed : {}),
});
new EnterpriseSettings(stack, "enterprise", {
  enterpriseId,
  sessionInvalidationInSeconds: loosen ? SettingValue.NOT_SET : "1800",
  sessionExpirationInSeconds: "28800",
  maxSessionsPerIdentity: "5",
});
new TrustedProfile(stack, "contractors", {
  accountId,
  name: "contractors",
  sessionDurationInSeconds: loosen ? "43200" : "3600",
});
Aspects.of(stack).add(
  new SessionPolicyGuard({
    maxIdle: Duration.minutes(30),
    forbidUnlimitedSessions: true,
    maxTrustedProfileSessionDuration: Duration.hours(8),
  }),
);
try {
  app.synth();
} catch (err) {
  // The guard's report, one line per violation, rather than a stack trace.
  console.error((err as Error).message);
  process.exitCode = 1;
}
