// Durations in human units for login-session settings. The settings travel as whole seconds; a Duration keeps the
// seconds it was given (fractions included) so that validation can name a value that is not whole instead of
// silently rounding it.

export class Duration {
  static seconds(amount: number): Duration {
    return new Duration(amount);
  }
  static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }
  static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }
  static days(amount: number): Duration {
    return new Duration(amount * 86400);
  }

  static isDuration(value: unknown): value is Duration {
    return value instanceof Duration;
  }

  private constructor(private readonly totalSeconds: number) {}

  toSeconds(): number {
    return this.totalSeconds;
  }

  /** `1 hour 30 minutes`, `15 minutes`, `90.5 seconds`. */
  toHuman(): string {
    return humanSeconds(this.totalSeconds);
  }

  toString(): string {
    return this.toHuman();
  }
}

const UNITS: readonly [number, string][] = [
  [86400, "day"],
  [3600, "hour"],
  [60, "minute"],
  [1, "second"],
];

/** Whole seconds in the largest units that divide them exactly; anything else in seconds as given. */
export function humanSeconds(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) return `${seconds} seconds`;
  const parts: string[] = [];
  let rest = seconds;
  for (const [size, name] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? "" : "s"}`);
    rest -= n * size;
  }
  return parts.join(" ");
}
