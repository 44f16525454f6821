// Passwords: scrypt (memory-hard, built into node:crypto). Parameters: N = 2^15, r = 8, p = 1 (32 MiB and ~50-100 ms
// per hash on one core), a 16-byte random salt, a 32-byte key. The parameters are stored with each hash, so they can
// be raised later and old hashes still verify. A password is never logged, stored or echoed.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keylen: 32 } as const;
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
  /** JSON of the scrypt parameters used. */
  params: string;
}

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number; keylen: number }): Promise<Buffer> {
  const options: ScryptOptions = { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, p.keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  return { hash: await derive(password, salt, SCRYPT_PARAMS), salt, params: JSON.stringify(SCRYPT_PARAMS) };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const params = JSON.parse(stored.params) as typeof SCRYPT_PARAMS;
  const key = await derive(password, stored.salt, params);
  return key.length === stored.hash.length && timingSafeEqual(key, stored.hash);
}

/**
 * A hash of nothing, computed once: a login for an identity without a password costs the same scrypt as one with a
 * wrong password, so timing does not tell which identities have passwords.
 */
let dummy: Promise<PasswordHash> | undefined;
export function dummyHash(): Promise<PasswordHash> {
  return (dummy ??= hashPassword(randomBytes(16).toString("hex")));
}
