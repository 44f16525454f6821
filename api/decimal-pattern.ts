// Regular expressions for ranges of whole numbers, so the OpenAPI document can state a range as a pattern that
// accepts exactly what the API accepts (settings values, page sizes, cursors).

/** A regular expression (no anchors) matching exactly the canonical decimals (no sign, no leading zero) from lo to hi. */
export function decimalRangePattern(lo: number, hi: number): string {
  const parts: string[] = [];
  for (let len = String(lo).length; len <= String(hi).length; len++) {
    const from = Math.max(lo, len === 1 ? 0 : 10 ** (len - 1));
    const to = Math.min(hi, 10 ** len - 1);
    if (from <= to) parts.push(...sameLengthRange(String(from), String(to)));
  }
  return parts.join("|");
}

/** Alternatives matching every digit string from a to b, both of the same length. */
function sameLengthRange(a: string, b: string): string[] {
  const n = a.length;
  if (a === b) return [a];
  const digits = (x: string, y: string) => (x === y ? x : `[${x}-${y}]`);
  const any = (k: number) => (k === 0 ? "" : k === 1 ? "[0-9]" : `[0-9]{${k}}`);
  if (n === 1) return [digits(a, b)];
  if (a[0] === b[0]) return sameLengthRange(a.slice(1), b.slice(1)).map((p) => a[0] + p);
  const restLo = a.slice(1);
  const restHi = b.slice(1);
  const lowFull = /^0*$/.test(restLo);
  const highFull = /^9*$/.test(restHi);
  const out: string[] = [];
  const first = Number(a[0]) + (lowFull ? 0 : 1);
  const last = Number(b[0]) - (highFull ? 0 : 1);
  if (!lowFull) out.push(...sameLengthRange(restLo, "9".repeat(n - 1)).map((p) => a[0] + p));
  if (first <= last) out.push(digits(String(first), String(last)) + any(n - 1));
  if (!highFull) out.push(...sameLengthRange("0".repeat(n - 1), restHi).map((p) => b[0] + p));
  return out;
}
