// The OpenAPI pattern of each setting value is exact: it matches what the API's validation accepts, and nothing else.
import { describe, expect, it } from "vitest";
import { decimalRangePattern, settingValuePattern } from "../../api/schemas.ts";
import { SETTINGS, TRUSTED_PROFILE_SESSION_DURATION, checkSettingValue } from "../../schemas/settings.ts";

describe("decimalRangePattern", () => {
  it("matches exactly the canonical decimals of the range (exhaustive on small ranges)", () => {
    for (const [lo, hi] of [[0, 0], [1, 9], [0, 100], [5, 1234], [900, 7200], [17, 17], [99, 101], [1, 1000]] as const) {
      const re = new RegExp(`^(${decimalRangePattern(lo, hi)})$`);
      for (let n = 0; n <= 12000; n++) expect(re.test(String(n)), `${n} in [${lo}, ${hi}]`).toBe(n >= lo && n <= hi);
      for (const bad of ["", "-1", "01", "00", " 5", "5 ", "1e3", "+1"]) expect(re.test(bad), bad).toBe(false);
    }
  });
});

describe("settingValuePattern", () => {
  const defs = [...SETTINGS, TRUSTED_PROFILE_SESSION_DURATION];
  it("agrees with the API's check on every boundary and on random values", () => {
    for (const def of defs) {
      const re = new RegExp(settingValuePattern(def));
      const samples = new Set<string>(["NOT_SET", "not_set", "", "0", "0900", String(def.min), String(def.max), String(def.min - 1), String(def.max + 1)]);
      for (let i = 0; i < 2000; i++) samples.add(String(Math.floor(Math.random() * def.max * 1.2)));
      for (let d = 1; d <= 11; d++) samples.add("9".repeat(d)).add(`1${"0".repeat(d)}`);
      for (const v of samples) expect(re.test(v), `${def.name}=${v}`).toBe(checkSettingValue(def, v).ok);
    }
  });
});
