// The validation matrix: every setting, both ends of its range and one past them, and the usual malformed values.
// A bad value is a 400 that names the setting and its valid values, and nothing is stored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SETTINGS, describeValidValues } from "../../schemas/settings.ts";
import {
  createAccount,
  getSettings,
  invalidSettingValues,
  putSettings,
  startApiServer,
  validSettingValues,
  type ApiServer,
} from "../helpers/api-server.ts";

let server: ApiServer;
let accountId: string;

beforeAll(async () => {
  server = await startApiServer();
  accountId = (await createAccount(server)).account_id;
});
afterAll(async () => {
  await server?.dispose();
});

describe.each(SETTINGS.map((def) => [def.name, def] as const))("%s", (_name, def) => {
  it.each(validSettingValues(def))("accepts %j and stores it exactly", async (value) => {
    const res = await putSettings(server, accountId, { [def.name]: value });
    expect(res.status, res.text).toBe(200);
    expect(res.body[def.name as keyof typeof res.body]).toBe(value);
    const now = await getSettings(server, accountId);
    expect(now[def.name as keyof typeof now]).toBe(value);
    expect(res.headers.get("etag")).toBe(`"${now.entity_tag}"`);
  });

  it.each(invalidSettingValues(def))("rejects %s with 400 naming the setting and its valid values; stores nothing", async (_why, value) => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const res = await putSettings(server, accountId, { [def.name]: value }, { ifMatch: `"${before.entity_tag}"` });
    expect(res.status, res.text).toBe(400);
    expect(res.body.status_code).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    const error = res.body.errors[0]!;
    expect(error.code).toBe("invalid_setting_value");
    expect(error.target).toEqual({ type: "field", name: def.name });
    expect(error.message).toContain(def.name);
    expect(error.message).toContain(describeValidValues(def));
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });
});

describe("whole bodies", () => {
  it("rejects an unknown field by name, and stores nothing even when the other fields are valid", async () => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const res = await putSettings(server, accountId, { session_expiration_in_seconds: "1800", sesion_expiration_in_seconds: "1800" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ code: "unknown_field", target: { type: "field", name: "sesion_expiration_in_seconds" } }),
    ]);
    expect(res.body.errors[0]!.message).toContain("sesion_expiration_in_seconds");
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });

  it("reports every bad setting at once and stores none of the good ones", async () => {
    const before = await getSettings(server, accountId, { includeHistory: true });
    const res = await putSettings(server, accountId, {
      session_expiration_in_seconds: "3600",
      session_invalidation_in_seconds: "60",
      max_sessions_per_identity: 0,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.target?.name).sort()).toEqual([
      "max_sessions_per_identity",
      "session_invalidation_in_seconds",
    ]);
    expect(await getSettings(server, accountId, { includeHistory: true })).toEqual(before);
  });

  it.each([
    ["an array", []],
    ["a string", "900"],
    ["null", null],
    ["a number", 5],
  ])("rejects %s as the body with 400", async (_why, body) => {
    const res = await putSettings(server, accountId, body);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]!.target!.type).toBe("body");
  });

  it("is a partial update: omitted settings keep their values", async () => {
    let res = await putSettings(server, accountId, {
      session_expiration_in_seconds: "3600",
      session_invalidation_in_seconds: "1800",
      max_sessions_per_identity: "3",
    });
    expect(res.status).toBe(200);
    res = await putSettings(server, accountId, { max_sessions_per_identity: "5" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      account_id: accountId,
      session_expiration_in_seconds: "3600",
      session_invalidation_in_seconds: "1800",
      max_sessions_per_identity: "5",
    });
  });
});
