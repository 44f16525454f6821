// API keys: their format, ids and hashing. Only the SHA-256 hash of a key is ever stored.
import { hash, randomBytes } from "node:crypto";

export const ACCOUNT_ROLES = ["viewer", "editor", "administrator", "owner"] as const;
export type Role = (typeof ACCOUNT_ROLES)[number];

export const KEY_PREFIX = "iams_";

/** A fresh key: `iams_` + 32 random bytes, base64url. */
export function generateApiKey(): string {
  return KEY_PREFIX + randomBytes(32).toString("base64url");
}

/** A key's id: `ApiKey-` + 16 hex digits. Ids are not secret; they name the caller in the history. */
export function generateKeyId(): string {
  return `ApiKey-${randomBytes(8).toString("hex")}`;
}

/** One-shot crypto.hash: no Hash object per call (createHash's was ~4% of an authenticated request's time). */
export function hashApiKey(key: string): Buffer {
  return hash("sha256", key, "buffer");
}
