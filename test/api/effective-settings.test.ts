// Effective settings through the API (a real server and SQLite file): a table of account/enterprise cases, users in
// one, two and three accounts, an account leaving its enterprise, and every change visible at once in every answer.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addMember,
  apiRequest,
  createAccount,
  createEnterprise,
  createIdentity,
  getAccountEffectiveSettings,
  getIdentityEffectiveSettings,
  linkAccount,
  putEnterpriseSettings,
  putSettings,
  removeMember,
  startApiServer,
  unlinkAccount,
  accountEnterprisePath,
  type ApiServer,
  type EffectiveSettings,
} from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

const U = "NOT_SET";
type Triple = [exp: string, idle: string, max: string];
type Expected = [value: string, source: "account" | "enterprise" | "default", sourceId: string | null];

const unique = () => randomBytes(4).toString("hex");

function body(t: Triple) {
  return { session_expiration_in_seconds: t[0], session_invalidation_in_seconds: t[1], max_sessions_per_identity: t[2] };
}

async function account(id: string, t: Triple): Promise<string> {
  await createAccount(server, { accountId: id });
  expect((await putSettings(server, id, body(t))).status).toBe(200);
  return id;
}

async function enterprise(id: string, t: Triple): Promise<string> {
  await createEnterprise(server, { enterpriseId: id });
  expect((await putEnterpriseSettings(server, id, body(t))).status).toBe(200);
  return id;
}

function expectEffective(got: EffectiveSettings, accountId: string | null, exp: Expected, idle: Expected, max: Expected): void {
  const want = (e: Expected) => ({ value: e[0], source: e[1], source_id: e[2], account_id: accountId });
  expect({
    session_expiration_in_seconds: got.session_expiration_in_seconds,
    session_invalidation_in_seconds: got.session_invalidation_in_seconds,
    max_sessions_per_identity: got.max_sessions_per_identity,
  }).toEqual({ session_expiration_in_seconds: want(exp), session_invalidation_in_seconds: want(idle), max_sessions_per_identity: want(max) });
}

describe("an account's effective settings", () => {
  // [case, account values, enterprise values or null, expected (value, source: a = the account, e = the enterprise)]
  const CASES: Array<[string, Triple, Triple | null, [string, "a" | "e" | "default"][]]> = [
    ["no enterprise, all NOT_SET: the defaults", [U, U, U], null, [["86400", "default"], ["7200", "default"], ["unlimited", "default"]]],
    ["no enterprise: the account's", ["3600", "1800", "5"], null, [["3600", "a"], ["1800", "a"], ["5", "a"]]],
    ["enterprise stricter", ["3600", "1800", "5"], ["1800", "900", "3"], [["1800", "e"], ["900", "e"], ["3", "e"]]],
    ["enterprise looser", ["1800", "900", "3"], ["3600", "1800", "5"], [["1800", "a"], ["900", "a"], ["3", "a"]]],
    ["enterprise NOT_SET: the account's (or the default)", ["1800", U, "3"], [U, U, U], [["1800", "a"], ["7200", "default"], ["3", "a"]]],
    ["account NOT_SET: the enterprise's; its limit beats unlimited", [U, U, U], ["1800", "7200", "4"], [["1800", "e"], ["7200", "e"], ["4", "e"]]],
    ["a tie is the enterprise's", ["1800", "900", "3"], ["1800", "900", "3"], [["1800", "e"], ["900", "e"], ["3", "e"]]],
    ["mixed", ["900", U, "10"], ["3600", "1200", U], [["900", "a"], ["1200", "e"], ["10", "a"]]],
  ];

  it.each(CASES)("%s", async (_name, acct, ent, expected) => {
    const tag = unique();
    const accountId = await account(`eff-${tag}`, acct);
    const enterpriseId = ent ? await enterprise(`ent-${tag}`, ent) : null;
    if (enterpriseId) await linkAccount(server, accountId, enterpriseId);
    const got = await getAccountEffectiveSettings(server, accountId);
    expect(got.account_id).toBe(accountId);
    expect(got.enterprise_id).toBe(enterpriseId);
    const resolve = ([value, who]: [string, "a" | "e" | "default"]): Expected =>
      who === "a" ? [value, "account", accountId] : who === "e" ? [value, "enterprise", enterpriseId] : [value, "default", null];
    expectEffective(got, accountId, resolve(expected[0]!), resolve(expected[1]!), resolve(expected[2]!));
  });

  it("an account leaving its enterprise (link deleted) gets its own values back at once; re-linking replaces the link", async () => {
    const tag = unique();
    const accountId = await account(`leave-${tag}`, ["3600", U, "5"]);
    const strict = await enterprise(`strict-${tag}`, ["900", "900", "1"]);
    const other = await enterprise(`other-${tag}`, ["1800", U, U]);
    await linkAccount(server, accountId, strict);
    expectEffective(await getAccountEffectiveSettings(server, accountId), accountId, ["900", "enterprise", strict], ["900", "enterprise", strict], ["1", "enterprise", strict]);

    await unlinkAccount(server, accountId);
    const left = await getAccountEffectiveSettings(server, accountId);
    expect(left.enterprise_id).toBeNull();
    expectEffective(left, accountId, ["3600", "account", accountId], ["7200", "default", null], ["5", "account", accountId]);
    expect((await apiRequest(server, "GET", accountEnterprisePath(accountId), { token: server.adminToken })).body.errors[0].code).toBe("not_linked");

    await linkAccount(server, accountId, strict);
    await linkAccount(server, accountId, other); // replaces, an account has at most one enterprise
    const moved = await getAccountEffectiveSettings(server, accountId);
    expect(moved.enterprise_id).toBe(other);
    expectEffective(moved, accountId, ["1800", "enterprise", other], ["7200", "default", null], ["5", "account", accountId]);
  });
});

describe("an identity's effective settings", () => {
  it("in no account: the defaults, account_id null", async () => {
    const { iam_id } = await createIdentity(server);
    const got = await getIdentityEffectiveSettings(server, iam_id);
    expect(got.iam_id).toBe(iam_id);
    expect(got.accounts).toEqual([]);
    expectEffective(got, null, ["86400", "default", null], ["7200", "default", null], ["unlimited", "default", null]);
  });

  it("in one account: that account's answer", async () => {
    const tag = unique();
    const a = await account(`one-${tag}`, [U, "900", U]);
    const { iam_id } = await createIdentity(server);
    await addMember(server, a, iam_id);
    const got = await getIdentityEffectiveSettings(server, iam_id);
    expect(got.accounts).toEqual([a]);
    expectEffective(got, a, ["86400", "default", null], ["900", "account", a], ["unlimited", "default", null]);
  });

  it("in two accounts: the lowest everywhere (15 min in one and 30 in another: 15), per setting from either account", async () => {
    const tag = unique();
    const a = await account(`two-${tag}-a`, ["1800", U, "4"]);
    const b = await account(`two-${tag}-b`, ["900", "1800", U]);
    const { iam_id } = await createIdentity(server);
    await addMember(server, b, iam_id);
    await addMember(server, a, iam_id);
    const got = await getIdentityEffectiveSettings(server, iam_id);
    expect(got.accounts).toEqual([a, b]);
    expect(got.session_expiration_in_seconds).toEqual({ value: "900", source: "account", source_id: b, account_id: b });
    expect(got.session_invalidation_in_seconds).toEqual({ value: "1800", source: "account", source_id: b, account_id: b });
    expect(got.max_sessions_per_identity).toEqual({ value: "4", source: "account", source_id: a, account_id: a });
  });

  it("in three accounts with NOT_SET, limits and an enterprise; unlimited only while no level limits it", async () => {
    const tag = unique();
    const a = await account(`three-${tag}-a`, [U, U, U]);
    const b = await account(`three-${tag}-b`, [U, U, U]);
    const c = await account(`three-${tag}-c`, [U, "1200", U]);
    const { iam_id } = await createIdentity(server);
    for (const acct of [c, a, b]) await addMember(server, acct, iam_id);

    let got = await getIdentityEffectiveSettings(server, iam_id);
    expect(got.accounts).toEqual([a, b, c]);
    // Equal defaults everywhere: the smallest account id.
    expect(got.session_expiration_in_seconds).toEqual({ value: "86400", source: "default", source_id: null, account_id: a });
    expect(got.max_sessions_per_identity).toEqual({ value: "unlimited", source: "default", source_id: null, account_id: a });
    expect(got.session_invalidation_in_seconds).toEqual({ value: "1200", source: "account", source_id: c, account_id: c });

    const e = await enterprise(`three-${tag}-e`, [U, U, "2"]);
    await linkAccount(server, b, e);
    got = await getIdentityEffectiveSettings(server, iam_id);
    expect(got.max_sessions_per_identity).toEqual({ value: "2", source: "enterprise", source_id: e, account_id: b });
    expect(got.session_expiration_in_seconds).toEqual({ value: "86400", source: "default", source_id: null, account_id: a });
  });
});

describe("changes are visible in every effective answer at once (computed on each request)", () => {
  it("a change at any level shows in the account and identity answers on the very next read", async () => {
    const tag = unique();
    const a = await account(`live-${tag}-a`, ["3600", U, U]);
    const b = await account(`live-${tag}-b`, ["7200", U, U]);
    const e = await enterprise(`live-${tag}-e`, [U, U, U]);
    await linkAccount(server, a, e);
    const { iam_id } = await createIdentity(server);
    await addMember(server, a, iam_id);
    await addMember(server, b, iam_id);

    const read = async () =>
      Promise.all([getAccountEffectiveSettings(server, a), getAccountEffectiveSettings(server, b), getIdentityEffectiveSettings(server, iam_id)]);

    let [ea, eb, ei] = await read();
    expect([ea.session_expiration_in_seconds.value, eb.session_expiration_in_seconds.value, ei.session_expiration_in_seconds.value]).toEqual(["3600", "7200", "3600"]);

    // Account level.
    expect((await putSettings(server, b, { session_expiration_in_seconds: "1800" })).status).toBe(200);
    [ea, eb, ei] = await read();
    expect(eb.session_expiration_in_seconds).toEqual({ value: "1800", source: "account", source_id: b, account_id: b });
    expect(ei.session_expiration_in_seconds).toEqual({ value: "1800", source: "account", source_id: b, account_id: b });

    // Enterprise level.
    expect((await putEnterpriseSettings(server, e, { session_expiration_in_seconds: "900", max_sessions_per_identity: "3" })).status).toBe(200);
    [ea, eb, ei] = await read();
    expect(ea.session_expiration_in_seconds).toEqual({ value: "900", source: "enterprise", source_id: e, account_id: a });
    expect(ei.session_expiration_in_seconds).toEqual({ value: "900", source: "enterprise", source_id: e, account_id: a });
    expect(ei.max_sessions_per_identity).toEqual({ value: "3", source: "enterprise", source_id: e, account_id: a });
    expect(eb.max_sessions_per_identity.value).toBe("unlimited");

    // Enterprise back to NOT_SET.
    expect((await putEnterpriseSettings(server, e, { session_expiration_in_seconds: U })).status).toBe(200);
    [ea, , ei] = await read();
    expect(ea.session_expiration_in_seconds).toEqual({ value: "3600", source: "account", source_id: a, account_id: a });
    expect(ei.session_expiration_in_seconds).toEqual({ value: "1800", source: "account", source_id: b, account_id: b });

    // The link.
    await unlinkAccount(server, a);
    [ea, , ei] = await read();
    expect(ea.enterprise_id).toBeNull();
    expect(ei.max_sessions_per_identity).toEqual({ value: "unlimited", source: "default", source_id: null, account_id: a });

    // Membership.
    await removeMember(server, b, iam_id);
    ei = await getIdentityEffectiveSettings(server, iam_id);
    expect(ei.accounts).toEqual([a]);
    expect(ei.session_expiration_in_seconds).toEqual({ value: "3600", source: "account", source_id: a, account_id: a });
  });
});
