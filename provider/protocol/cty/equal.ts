// Value equality as cty defines it: numbers by value, sets regardless of order, unknown equal only to unknown
// (for planning, "unknown" vs "unknown" means no new information, which is what callers want).
import { numbersEqual } from "./number.ts";
import { CtyNumber, UNKNOWN, type CtyType, type CtyValue } from "./types.ts";

export function ctyEqual(a: CtyValue | undefined, b: CtyValue | undefined, type?: CtyType): boolean {
  a ??= null;
  b ??= null;
  if (a === b) return true;
  if (a === null || b === null || a === UNKNOWN || b === UNKNOWN) return false;
  if (a instanceof CtyNumber || b instanceof CtyNumber) {
    return a instanceof CtyNumber && b instanceof CtyNumber && numbersEqual(a, b);
  }
  if (typeof a !== "object" || typeof b !== "object") return false;
  const inner = Array.isArray(type) ? type[1] : undefined;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    const elemType = inner as CtyType | undefined;
    if (Array.isArray(type) && type[0] === "set") {
      const unmatched = [...b];
      return a.every((x) => {
        const at = unmatched.findIndex((y) => ctyEqual(x, y, elemType));
        if (at < 0) return false;
        unmatched.splice(at, 1);
        return true;
      });
    }
    return a.every((x, i) => ctyEqual(x, b[i], elemType));
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const t = Array.isArray(type)
      ? type[0] === "object"
        ? (type[1] as Record<string, CtyType>)[k]
        : (type[1] as CtyType)
      : undefined;
    if (!ctyEqual(a[k], b[k], t)) return false;
  }
  return true;
}
