// The example stacks synthesised in-process, without a CLI: what each one writes, or why it refuses to.
// (test/e2e/cdktf-examples.test.ts runs them as processes and applies them with the real CLIs.)
import { Testing } from "cdktf";
import { describe, expect, it } from "vitest";
import { buildGuarded } from "../../cdktf-examples/guarded/main.ts";
import { DEFAULT_ACCOUNTS, buildManyAccounts } from "../../cdktf-examples/many-accounts/main.ts";
import { buildSingleAccount } from "../../cdktf-examples/single-account/main.ts";
import { accountSettings, validationErrors } from "./synth.ts";

describe("examples", () => {
  it("single-account writes one account's settings", () => {
    const stack = buildSingleAccount(Testing.app(), "acme-prod");
    expect(accountSettings(stack)).toEqual({
      "acme-prod": {
        account_id: "acme-prod",
        session_invalidation_in_seconds: "1800",
        session_expiration_in_seconds: "43200",
        max_sessions_per_identity: "3",
      },
    });
  });

  it("many-accounts puts every listed account on the financial preset and passes its guard", () => {
    const stack = buildManyAccounts(Testing.app(), DEFAULT_ACCOUNTS);
    const resources = accountSettings(stack);
    expect(Object.keys(resources).sort()).toEqual([...DEFAULT_ACCOUNTS].sort());
    for (const r of Object.values(resources)) {
      expect(r).toMatchObject({ session_invalidation_in_seconds: "900", session_expiration_in_seconds: "3600", max_sessions_per_identity: "2" });
    }
  });

  it("guarded is rejected with one line per violation", () => {
    const stack = buildGuarded(Testing.app(), ["sb"], "legacy-tools");
    expect(validationErrors(stack)).toEqual([
      `[guarded/sandboxes/sb] session_invalidation_in_seconds = "7200" (2 hours) exceeds maxIdle (30 minutes (1800 s))`,
      `[guarded/sandboxes/sb] max_sessions_per_identity = "NOT_SET" (service default: unlimited) allows unlimited sessions, which forbidUnlimitedSessions forbids`,
      `[guarded/legacy] session_invalidation_in_seconds = "NOT_SET" (service default: 2 hours (7200 s)) exceeds maxIdle (30 minutes (1800 s))`,
    ]);
  });
});
