// Session and access tokens: 256 random bits from the CSPRNG, prefixed by their kind so a leaked one is recognisable
// (secret scanners) and so authentication knows which table to look in. Only the SHA-256 hash is stored: a token has
// 256 bits of entropy, so a fast hash is enough (no dictionary to guess from) and lookups stay one index probe.
import { hash, randomBytes } from "node:crypto";

/** A console or CLI login session. */
export const SESSION_TOKEN_PREFIX = "iamss_";
/** A short access token (POST /v1/tokens, or a service ID's CLI login): no session. */
export const ACCESS_TOKEN_PREFIX = "iamat_";

export function generateToken(prefix: string): string {
  return prefix + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): Buffer {
  return hash("sha256", token, "buffer");
}

/** Public, non-secret ids. */
export function generateSessionId(): string {
  return `Session-${randomBytes(16).toString("hex")}`;
}

export function generateIdentityKeyId(): string {
  return `IdentityKey-${randomBytes(8).toString("hex")}`;
}
