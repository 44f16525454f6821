// Identities' credentials for the session engine: kinds, password hashes, identity API keys, federation keys and
// short access tokens. Only hashes are stored. Times are milliseconds since the epoch (the injected clock).
import type Database from "better-sqlite3";
import type { PasswordHash } from "../sessions/password.ts";

export type IdentityKind = "user" | "service_id";

export interface CredentialKeyRecord {
  id: string;
  /** The identity of an identity API key, or the account of a federation key. */
  ownerId: string;
  name: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface AccessTokenRecord {
  iamId: string;
  accountId: string;
  keyId: string;
  createdAt: number;
  expiresAt: number;
}

type KeyRow = { id: string; owner_id: string; name: string; created_at: number; revoked_at: number | null };
const toKey = (r: KeyRow): CredentialKeyRecord => ({ id: r.id, ownerId: r.owner_id, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at });

export class CredentialStore {
  readonly #db: Database.Database;
  readonly #stmts;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = {
      kind: db.prepare<[string], { kind: IdentityKind }>("SELECT kind FROM identities WHERE iam_id = ?"),
      setKind: db.prepare<[IdentityKind, string]>("UPDATE identities SET kind = ? WHERE iam_id = ?"),
      password: db.prepare<[string], { hash: Buffer; salt: Buffer; params: string }>(
        "SELECT hash, salt, params FROM identity_passwords WHERE iam_id = ?",
      ),
      setPassword: db.prepare(
        `INSERT INTO identity_passwords (iam_id, hash, salt, params, changed_at) VALUES (@iamId, @hash, @salt, @params, @at)
         ON CONFLICT (iam_id) DO UPDATE SET hash = excluded.hash, salt = excluded.salt, params = excluded.params, changed_at = excluded.changed_at`,
      ),
      insertIdentityKey: db.prepare<[string, string, string, Buffer, number]>(
        "INSERT INTO identity_api_keys (id, iam_id, name, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      identityKeyByHash: db.prepare<[Buffer], KeyRow>(
        "SELECT id, iam_id AS owner_id, name, created_at, revoked_at FROM identity_api_keys WHERE key_hash = ?",
      ),
      // The CLI login's one read before its limits: the key, its identity's kind and whether that identity is a
      // member of the account (an account_members row, as DirectoryStore.isMember).
      identityKeyLogin: db.prepare<[string, Buffer], KeyRow & { kind: IdentityKind | null; member: number }>(
        `SELECT k.id, k.iam_id AS owner_id, k.name, k.created_at, k.revoked_at, i.kind,
                EXISTS (SELECT 1 FROM account_members m WHERE m.account_id = ? AND m.iam_id = k.iam_id) AS member
           FROM identity_api_keys k LEFT JOIN identities i ON i.iam_id = k.iam_id WHERE k.key_hash = ?`,
      ),
      identityKeys: db.prepare<[string, number, string, number], KeyRow>(
        `SELECT id, iam_id AS owner_id, name, created_at, revoked_at FROM identity_api_keys
         WHERE iam_id = ? AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`,
      ),
      revokeIdentityKey: db.prepare<[number, string, string]>(
        "UPDATE identity_api_keys SET revoked_at = ? WHERE iam_id = ? AND id = ? AND revoked_at IS NULL",
      ),
      identityKeyExists: db.prepare<[string, string], { one: number }>("SELECT 1 AS one FROM identity_api_keys WHERE iam_id = ? AND id = ?"),
      insertFederationKey: db.prepare<[string, string, string, Buffer, number]>(
        "INSERT INTO federation_keys (id, account_id, name, key_hash, created_at) VALUES (?, ?, ?, ?, ?)",
      ),
      federationKeyByHash: db.prepare<[Buffer], KeyRow>(
        "SELECT id, account_id AS owner_id, name, created_at, revoked_at FROM federation_keys WHERE key_hash = ?",
      ),
      insertToken: db.prepare(
        `INSERT INTO access_tokens (token_hash, iam_id, account_id, key_id, created_at, expires_at)
         VALUES (@hash, @iamId, @accountId, @keyId, @createdAt, @expiresAt)`,
      ),
      tokenByHash: db.prepare<[Buffer], { iam_id: string; account_id: string; key_id: string; created_at: number; expires_at: number }>(
        "SELECT iam_id, account_id, key_id, created_at, expires_at FROM access_tokens WHERE token_hash = ?",
      ),
      deleteTokensOfKey: db.prepare<[string]>("DELETE FROM access_tokens WHERE key_id = ?"),
    };
  }

  kindOf(iamId: string): IdentityKind | undefined {
    return this.#stmts.kind.get(iamId)?.kind;
  }

  setKind(iamId: string, kind: IdentityKind): void {
    this.#db.transaction(() => this.#stmts.setKind.run(kind, iamId)).immediate();
  }

  password(iamId: string): PasswordHash | undefined {
    return this.#stmts.password.get(iamId);
  }

  setPassword(iamId: string, hash: PasswordHash, at: number): void {
    this.#db.transaction(() => this.#stmts.setPassword.run({ iamId, ...hash, at })).immediate();
  }

  createIdentityKey(id: string, iamId: string, name: string, hash: Buffer, at: number): CredentialKeyRecord {
    this.#db.transaction(() => this.#stmts.insertIdentityKey.run(id, iamId, name, hash, at)).immediate();
    return { id, ownerId: iamId, name, createdAt: at, revokedAt: null };
  }

  identityKeyByHash(hash: Buffer): CredentialKeyRecord | undefined {
    const row = this.#stmts.identityKeyByHash.get(hash);
    return row ? toKey(row) : undefined;
  }

  /**
   * identityKeyByHash for a login to `accountId`, with what the login asks next in the same statement: the key's
   * identity's kind and whether it is a member of the account.
   */
  identityKeyLogin(hash: Buffer, accountId: string): { key: CredentialKeyRecord; kind: IdentityKind | undefined; member: boolean } | undefined {
    const row = this.#stmts.identityKeyLogin.get(accountId, hash);
    return row ? { key: toKey(row), kind: row.kind ?? undefined, member: row.member === 1 } : undefined;
  }

  /** At most `limit` of the identity's keys (revoked ones too) after [created_at, id] (from the start when null), oldest first. */
  identityKeys(iamId: string, after: [number, string] | null, limit: number): CredentialKeyRecord[] {
    return this.#stmts.identityKeys.all(iamId, after?.[0] ?? -1, after?.[1] ?? "", limit).map(toKey);
  }

  /** Revokes an identity's key and drops the access tokens it obtained; "not_found" when the identity has no such key. */
  revokeIdentityKey(iamId: string, keyId: string, at: number): "revoked" | "already_revoked" | "not_found" {
    return this.#db
      .transaction(() => {
        if (!this.#stmts.identityKeyExists.get(iamId, keyId)) return "not_found" as const;
        const changed = this.#stmts.revokeIdentityKey.run(at, iamId, keyId).changes > 0;
        this.#stmts.deleteTokensOfKey.run(keyId);
        return changed ? ("revoked" as const) : ("already_revoked" as const);
      })
      .immediate();
  }

  createFederationKey(id: string, accountId: string, name: string, hash: Buffer, at: number): CredentialKeyRecord {
    this.#db.transaction(() => this.#stmts.insertFederationKey.run(id, accountId, name, hash, at)).immediate();
    return { id, ownerId: accountId, name, createdAt: at, revokedAt: null };
  }

  federationKeyByHash(hash: Buffer): CredentialKeyRecord | undefined {
    const row = this.#stmts.federationKeyByHash.get(hash);
    return row ? toKey(row) : undefined;
  }

  createAccessToken(hash: Buffer, t: AccessTokenRecord): void {
    this.#db.transaction(() => this.#stmts.insertToken.run({ hash, ...t })).immediate();
  }

  accessTokenByHash(hash: Buffer): AccessTokenRecord | undefined {
    const r = this.#stmts.tokenByHash.get(hash);
    return r ? { iamId: r.iam_id, accountId: r.account_id, keyId: r.key_id, createdAt: r.created_at, expiresAt: r.expires_at } : undefined;
  }
}
