import { describe, expect, it } from "vitest";
import {
  MAX_SESSIONS_PER_IDENTITY,
  NOT_SET,
  SESSION_EXPIRATION,
  SESSION_INVALIDATION,
  SETTINGS,
  checkSettingValue,
  effectiveNumber,
} from "../../schemas/settings.ts";

describe("checkSettingValue", () => {
  it.each(SETTINGS.map((d) => [d.name, d]))("%s accepts both ends of its range and NOT_SET", (_n, def) => {
    for (const v of [String(def.min), String(def.max), NOT_SET]) expect(checkSettingValue(def, v)).toEqual({ ok: true, value: v });
  });

  it.each(SETTINGS.map((d) => [d.name, d]))("%s rejects one past each end, naming the setting and range", (_n, def) => {
    for (const v of [String(def.min - 1), String(def.max + 1)]) {
      const r = checkSettingValue(def, v);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toContain(def.name);
        expect(r.message).toContain(`from ${def.min} to ${def.max}`);
      }
    }
  });

  it.each(["not_set", "0900", "1e3", " 900", "900 ", "-1", "+900", "3.5", "", "0x384", "９００", "99999999999999999999"])(
    "rejects %j without normalising it",
    (v) => expect(checkSettingValue(SESSION_EXPIRATION, v).ok).toBe(false),
  );

  it.each([900, null, true, {}, []])("rejects non-strings (%j)", (v) => {
    const r = checkSettingValue(SESSION_INVALIDATION, v);
    expect(r.ok).toBe(false);
  });

  it("resolves NOT_SET to the service default, and unlimited to Infinity", () => {
    expect(effectiveNumber(SESSION_EXPIRATION, NOT_SET)).toBe(86400);
    expect(effectiveNumber(SESSION_INVALIDATION, NOT_SET)).toBe(7200);
    expect(effectiveNumber(MAX_SESSIONS_PER_IDENTITY, NOT_SET)).toBe(Infinity);
    expect(effectiveNumber(MAX_SESSIONS_PER_IDENTITY, "5")).toBe(5);
  });
});
