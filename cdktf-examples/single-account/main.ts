// One account's login-session limits, written in human units. The provider reads its endpoint and token from
// IAMSESSION_ENDPOINT / IAMSESSION_TOKEN at plan time, so neither is written into the synthesised JSON.
import { TerraformStack, type App } from "cdktf";
import { Duration, IamsessionProvider, LoginSessionPolicy } from "../lib/index.ts";
import { runApp } from "../run-app.ts";

export const STACK_NAME = "single-account";

export function buildSingleAccount(app: App, accountId = process.env.IAMSESSION_ACCOUNT_ID ?? "acme-prod"): TerraformStack {
  const stack = new TerraformStack(app, STACK_NAME);
  new IamsessionProvider(stack, "iamsession");
  new LoginSessionPolicy(stack, "login-sessions", {
    accounts: accountId,
    maxIdle: Duration.minutes(30),
    maxLifetime: Duration.hours(12),
    maxSessionsPerIdentity: 3,
  });
  return stack;
}

runApp(import.meta.url, (app) => buildSingleAccount(app));
