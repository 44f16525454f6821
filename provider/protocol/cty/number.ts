// Exact decimal handling for cty numbers (arbitrary precision in cty; float64 in JS would round).
import { CtyNumber } from "./types.ts";

const INT_TEXT = /^-?\d+$/;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** The exact decimal value of a float64 (JS's shortest round-trip text would be a different cty number). */
export function exactDecimalOfDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? "NaN" : n > 0 ? "+Inf" : "-Inf";
  if (Number.isInteger(n)) return BigInt(n).toString();
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, n);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biasedExp = Number((bits >> 52n) & 0x7ffn);
  let mantissa = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (biasedExp === 0) exp = -1074;
  else {
    mantissa |= 1n << 52n;
    exp = biasedExp - 1075;
  }
  // n = mantissa * 2^exp with exp < 0 here (integers were handled above) = mantissa * 5^-exp / 10^-exp
  const scale = -exp;
  const digits = (mantissa * 5n ** BigInt(scale)).toString().padStart(scale + 1, "0");
  const intPart = digits.slice(0, digits.length - scale);
  const fracPart = digits.slice(digits.length - scale).replace(/0+$/, "");
  return `${negative ? "-" : ""}${intPart}${fracPart ? "." + fracPart : ""}`;
}

/** A CtyNumber from whatever a msgpack or JSON decoder produced, without rounding. */
export function toCtyNumber(raw: number | bigint | string): CtyNumber {
  if (typeof raw === "bigint") return new CtyNumber(raw.toString());
  if (typeof raw === "number") return new CtyNumber(exactDecimalOfDouble(raw));
  return new CtyNumber(raw);
}

/** How a number goes back on the wire: an integer when it fits 64 bits, else its exact decimal text. */
export function numberForWire(value: CtyNumber | number | bigint): number | bigint | string {
  if (typeof value === "bigint") return wireInteger(value) ?? value.toString();
  if (typeof value === "number") return value;
  const text = value.text.trim();
  if (INT_TEXT.test(text)) return wireInteger(BigInt(text)) ?? text;
  if (text === "+Inf" || text === "Infinity" || text === "+Infinity") return Infinity;
  if (text === "-Inf" || text === "-Infinity") return -Infinity;
  return text;
}

function wireInteger(n: bigint): number | bigint | undefined {
  if (n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(n);
  if (n >= INT64_MIN && n <= UINT64_MAX) return n;
  return undefined;
}

interface Normalized {
  negative: boolean;
  mantissa: bigint; // no trailing zeros, 0n for zero
  exp: number;
}

function normalize(text: string): Normalized | string {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return text.trim().replace(/^\+/, ""); // Inf, NaN…
  const frac = m[3] ?? "";
  let mantissa = BigInt((m[2] || "0") + frac);
  let exp = Number(m[4] ?? 0) - frac.length;
  if (mantissa === 0n) return { negative: false, mantissa: 0n, exp: 0 };
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp++;
  }
  return { negative: m[1] === "-", mantissa, exp };
}

/** Numeric equality of two decimal texts ("1.50" equals "1.5" and "15e-1"). */
export function numbersEqual(a: CtyNumber, b: CtyNumber): boolean {
  if (a.text === b.text) return true;
  const x = normalize(a.text);
  const y = normalize(b.text);
  if (typeof x === "string" || typeof y === "string") return x === y;
  return x.negative === y.negative && x.mantissa === y.mantissa && x.exp === y.exp;
}
