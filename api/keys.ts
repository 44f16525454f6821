// API keys: their format, ids and hashing. Only the SHA-256 hash of a key is ever stored.
import { createHash, randomBytes } from "node:crypto";

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

export function hashApiKey(key: string): Buffer {
  return createHash("sha256").update(key, "utf8").digest();
}
