import { describe, expect, it } from "vitest";
import { Duration } from "../../constructs/lib/index.js";
import { humanSeconds } from "../../constructs/lib/duration.js";

describe("Duration", () => {
  it("converts human units to seconds", () => {
    expect(Duration.seconds(900).toSeconds()).toBe(900);
    expect(Duration.minutes(30).toSeconds()).toBe(1800);
    expect(Duration.hours(12).toSeconds()).toBe(43200);
    expect(Duration.days(1).toSeconds()).toBe(86400);
    expect(Duration.hours(1.5).toSeconds()).toBe(5400);
  });

  it("keeps fractions of a second so that validation can name them", () => {
    expect(Duration.minutes(0.001).toSeconds()).toBeCloseTo(0.06);
    expect(Duration.seconds(900.5).toHuman()).toBe("900.5 seconds");
  });

  it("reads as people say it", () => {
    expect(humanSeconds(900)).toBe("15 minutes");
    expect(humanSeconds(3600)).toBe("1 hour");
    expect(humanSeconds(5401)).toBe("1 hour 30 minutes 1 second");
    expect(humanSeconds(86400)).toBe("1 day");
    expect(String(Duration.hours(2))).toBe("2 hours");
  });
});
