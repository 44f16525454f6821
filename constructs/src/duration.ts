// Durations in human units for login-session settings. The settings travel as whole seconds; a Duration keeps the
// seconds it was given (fractions included) so that validation can name a value that is not whole instead of
// silently rounding it.

/** A length of time, as login-session settings take it. */
export class Duration {
  /** A duration of `amount` seconds. */
  public static seconds(amount: number): Duration {
    return new Duration(amount);
  }

  /** A duration of `amount` minutes. */
  public static minutes(amount: number): Duration {
    return new Duration(amount * 60);
  }

  /** A duration of `amount` hours. */
  public static hours(amount: number): Duration {
    return new Duration(amount * 3600);
  }

  /** A duration of `amount` days. */
  public static days(amount: number): Duration {
    return new Duration(amount * 86400);
  }

  /** Whether `value` is a Duration (from this copy of the library). */
  public static isDuration(value: any): boolean {
    return value instanceof Duration;
  }

  private constructor(private readonly totalSeconds: number) {}

  /** The length in seconds, fractions included. */
  public toSeconds(): number {
    return this.totalSeconds;
  }

  /** `1 hour 30 minutes`, `15 minutes`, `90.5 seconds`. */
  public toHuman(): string {
    return humanSeconds(this.totalSeconds);
  }

  /** The same as toHuman(). */
  public toString(): string {
    return this.toHuman();
  }
}

const UNITS: Array<[number, string]> = [
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
