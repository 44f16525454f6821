// The effective-settings rules (api/effective.ts) on a table of cases, without a server: account vs enterprise,
// NOT_SET at either level, unlimited, ties, and an identity over several accounts.
import { describe, expect, it } from "vitest";
import { effectiveForAccount, effectiveForIdentity, type AccountLevels } from "../../api/effective.ts";
import { NOT_SET, type SettingsValues } from "../../schemas/settings.ts";

const U = NOT_SET;
function values(exp: string, idle: string, max: string, action = U): SettingsValues {
  return { session_expiration_in_seconds: exp, session_invalidation_in_seconds: idle, max_sessions_per_identity: max, max_sessions_exceeded_action: action };
}
function levels(accountId: string, account: SettingsValues, enterprise?: [string, SettingsValues]): AccountLevels {
  return { accountId, account, enterprise: enterprise ? { enterpriseId: enterprise[0], values: enterprise[1] } : null };
}

type Row = [string, AccountLevels, Record<string, [string, "account" | "enterprise" | "default", string | null]>];

const ACCOUNT_CASES: Row[] = [
  ["no enterprise, all NOT_SET: defaults", levels("a", values(U, U, U)), {
    session_expiration_in_seconds: ["86400", "default", null],
    session_invalidation_in_seconds: ["7200", "default", null],
    max_sessions_per_identity: ["unlimited", "default", null],
  }],
  ["no enterprise, account limits", levels("a", values("3600", "900", "2")), {
    session_expiration_in_seconds: ["3600", "account", "a"],
    session_invalidation_in_seconds: ["900", "account", "a"],
    max_sessions_per_identity: ["2", "account", "a"],
  }],
  ["enterprise stricter", levels("a", values("3600", "1800", "5"), ["e", values("1800", "900", "3")]), {
    session_expiration_in_seconds: ["1800", "enterprise", "e"],
    session_invalidation_in_seconds: ["900", "enterprise", "e"],
    max_sessions_per_identity: ["3", "enterprise", "e"],
  }],
  ["enterprise looser", levels("a", values("1800", "900", "3"), ["e", values("3600", "1800", "5")]), {
    session_expiration_in_seconds: ["1800", "account", "a"],
    session_invalidation_in_seconds: ["900", "account", "a"],
    max_sessions_per_identity: ["3", "account", "a"],
  }],
  ["enterprise NOT_SET: the account's", levels("a", values("1800", U, "3"), ["e", values(U, U, U)]), {
    session_expiration_in_seconds: ["1800", "account", "a"],
    session_invalidation_in_seconds: ["7200", "default", null],
    max_sessions_per_identity: ["3", "account", "a"],
  }],
  ["account NOT_SET, enterprise set: the enterprise's (a limit beats unlimited)", levels("a", values(U, U, U), ["e", values("1800", "7200", "4")]), {
    session_expiration_in_seconds: ["1800", "enterprise", "e"],
    session_invalidation_in_seconds: ["7200", "enterprise", "e"],
    max_sessions_per_identity: ["4", "enterprise", "e"],
  }],
  ["a tie goes to the enterprise", levels("a", values("1800", "900", "3"), ["e", values("1800", "900", "3")]), {
    session_expiration_in_seconds: ["1800", "enterprise", "e"],
    session_invalidation_in_seconds: ["900", "enterprise", "e"],
    max_sessions_per_identity: ["3", "enterprise", "e"],
  }],
  ["range ends", levels("a", values("86400", "7200", "2147483647"), ["e", values("900", U, "1")]), {
    session_expiration_in_seconds: ["900", "enterprise", "e"],
    session_invalidation_in_seconds: ["7200", "account", "a"],
    max_sessions_per_identity: ["1", "enterprise", "e"],
  }],
];

describe("effectiveForAccount", () => {
  it.each(ACCOUNT_CASES)("%s", (_name, input, expected) => {
    const got = effectiveForAccount(input);
    for (const [name, [value, source, sourceId]] of Object.entries(expected)) {
      expect(got[name as keyof typeof got], name).toEqual({ value, source, source_id: sourceId, account_id: input.accountId });
    }
  });
});

describe("effectiveForIdentity", () => {
  it("an identity in no account gets the defaults with account_id null", () => {
    expect(effectiveForIdentity([])).toEqual({
      session_expiration_in_seconds: { value: "86400", source: "default", source_id: null, account_id: null },
      session_invalidation_in_seconds: { value: "7200", source: "default", source_id: null, account_id: null },
      max_sessions_per_identity: { value: "unlimited", source: "default", source_id: null, account_id: null },
      max_sessions_exceeded_action: { value: "END_OLDEST", source: "default", source_id: null, account_id: null },
    });
  });

  it("takes the lowest over the accounts, naming the account and that account's source", () => {
    const got = effectiveForIdentity([
      levels("b", values("900", U, U)),
      levels("a", values("1800", "1200", U), ["e", values(U, "900", U)]),
      levels("c", values(U, U, "7")),
    ]);
    expect(got.session_expiration_in_seconds).toEqual({ value: "900", source: "account", source_id: "b", account_id: "b" });
    expect(got.session_invalidation_in_seconds).toEqual({ value: "900", source: "enterprise", source_id: "e", account_id: "a" });
    expect(got.max_sessions_per_identity).toEqual({ value: "7", source: "account", source_id: "c", account_id: "c" });
  });

  it("unlimited stays unlimited only when no account limits it; ties go to the smallest account id", () => {
    const got = effectiveForIdentity([levels("z", values(U, U, U)), levels("m", values(U, U, U))]);
    expect(got.max_sessions_per_identity).toEqual({ value: "unlimited", source: "default", source_id: null, account_id: "m" });
    expect(got.session_expiration_in_seconds).toEqual({ value: "86400", source: "default", source_id: null, account_id: "m" });
    const tie = effectiveForIdentity([levels("z", values("1800", U, "3")), levels("m", values("1800", U, "3"))]);
    expect(tie.session_expiration_in_seconds.account_id).toBe("m");
    expect(tie.max_sessions_per_identity.account_id).toBe("m");
  });
});

describe("max_sessions_exceeded_action comes from the level whose max_sessions_per_identity is effective", () => {
  it("the account's action when the account's limit applies; the enterprise's when the enterprise's does", () => {
    const own = effectiveForAccount(levels("a", values(U, U, "3", "DENY_NEW"), ["e", values(U, U, "5", "END_NEXT_EXPIRING")]));
    expect(own.max_sessions_exceeded_action).toEqual({ value: "DENY_NEW", source: "account", source_id: "a", account_id: "a" });
    const ent = effectiveForAccount(levels("a", values(U, U, "9", "DENY_NEW"), ["e", values(U, U, "5", "END_NEXT_EXPIRING")]));
    expect(ent.max_sessions_exceeded_action).toEqual({ value: "END_NEXT_EXPIRING", source: "enterprise", source_id: "e", account_id: "a" });
  });

  it("NOT_SET at the deciding level is the service default, even if another level sets an action", () => {
    const got = effectiveForAccount(levels("a", values(U, U, "9", "DENY_NEW"), ["e", values(U, U, "5", U)]));
    expect(got.max_sessions_exceeded_action).toEqual({ value: "END_OLDEST", source: "default", source_id: null, account_id: "a" });
    // No limit anywhere: the default, whatever an account chose (it has nothing to act on).
    const unlimited = effectiveForAccount(levels("a", values(U, U, U, "DENY_NEW")));
    expect(unlimited.max_sessions_exceeded_action.value).toBe("END_OLDEST");
  });

  it("for an identity: the action of the account that made the limit lowest", () => {
    const got = effectiveForIdentity([levels("a", values(U, U, "4", "END_LEAST_RECENTLY_USED")), levels("b", values(U, U, "2", "DENY_NEW"))]);
    expect(got.max_sessions_per_identity.value).toBe("2");
    expect(got.max_sessions_exceeded_action).toEqual({ value: "DENY_NEW", source: "account", source_id: "b", account_id: "b" });
  });
});
