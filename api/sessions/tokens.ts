// Session and access tokens: 256 random bits from the CSPRNG, prefixed by their kind so a leaked one is recognisable
// (secret scanners) and so authentication knows which table to look in. Only the SHA-256 hash is stored: a token has
// 256 bits of entropy, so a fast hash is enough (no dictionary to guess from) and lookups stay one index probe.
import { hash, randomFillSync } from "node:crypto";

/** A console or CLI login session. */
export const SESSION_TOKEN_PREFIX = "iamss_";
/** A short access token (POST /v1/tokens, or a service ID's CLI login): no session. */
export const ACCESS_TOKEN_PREFIX = "iamat_";

// The CSPRNG is asked for a block at a time, as crypto.randomUUID does: each call into it costs more than the bytes
// (a login needs two draws). Each draw is handed out once and wiped from the block as it is turned into text.
const BLOCK_BYTES = 2048;
let block = Buffer.alloc(0);
let used = 0;

function randomText(bytes: number, encoding: "base64url" | "hex"): string {
  if (used + bytes > block.length) {
    block = randomFillSync(Buffer.allocUnsafeSlow(BLOCK_BYTES));
    used = 0;
  }
  const draw = block.subarray(used, used + bytes);
  used += bytes;
  const text = draw.toString(encoding);
  draw.fill(0);
  return text;
}

export function generateToken(prefix: string): string {
  return prefix + randomText(32, "base64url");
}

export function hashToken(token: string): Buffer {
  return hash("sha256", token, "buffer");
}

/**
 * Public, non-secret ids (the token is the secret), in creation order: 48 bits of the time in milliseconds, then 80
 * random bits (unique without coordination). Random ids put each new session on a random page of the primary-key
 * index, one more page written and fsynced by every login; ordered ones append to the same page.
 */
export function generateSessionId(now = Date.now()): string {
  return `Session-${now.toString(16).padStart(12, "0").slice(-12)}${randomText(10, "hex")}`;
}

export function generateIdentityKeyId(): string {
  return `IdentityKey-${randomText(8, "hex")}`;
}
