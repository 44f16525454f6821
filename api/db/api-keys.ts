// API keys (issue #11): creation, lookup, listing, revocation, expiry and last use. Only SHA-256 hashes are stored;
// a revoked key's row stays (history names it) but is never found by its hash again.
import type Database from "better-sqlite3";
import type { Role } from "../keys.ts";

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role | "platform_admin";
  /** The key's account; null for enterprise keys and platform administrators. */
  account_id: string | null;
  /** The key's enterprise; null for account keys and platform administrators. */
  enterprise_id: string | null;
  created_at: string;
  /** The key that created this one; null when made at start-up or by `npm run admin` (or before this was recorded). */
  created_by: string | null;
  expires_at: string | null;
  /** To the minute (see TOUCH_INTERVAL_MS); null when never used. */
  last_used_at: string | null;
}

interface KeyRow extends ApiKeyRecord {
  revoked_at: string | null;
}

/** Whose keys: one account's, one enterprise's, or the platform administrators'. */
export type KeyScope = { accountId: string } | { enterpriseId: string } | { platform: true };

export type RevokeResult = "revoked" | "not_found" | "last_platform_key";

/** last_used_at is written at most once per key per minute: a key used constantly costs one write a minute. */
export const TOUCH_INTERVAL_MS = 60_000;

/** Why a key was revoked when no key did it: its account left the enterprise whose key minted it (or its ancestor). */
export const REVOKED_BY_UNLINK = "enterprise_unlinked";

/** Whether a use of the key now is to be recorded (its last recorded use is older than TOUCH_INTERVAL_MS). */
export function touchDue(key: ApiKeyRecord, now = new Date()): boolean {
  return key.last_used_at === null || now.getTime() - Date.parse(key.last_used_at) >= TOUCH_INTERVAL_MS;
}

export type KeyState = "active" | "revoked" | "expired";

export interface FoundKey {
  key: ApiKeyRecord;
  state: KeyState;
}

function keyState(key: ApiKeyRecord, revokedAt: string | null, now: Date): KeyState {
  return revokedAt !== null ? "revoked" : key.expires_at !== null && key.expires_at <= now.toISOString() ? "expired" : "active";
}

/**
 * Authentication's view of the keys, cached: a key found by its hash is looked up again only once the generation of
 * the keys' authority (one row, bumped by a trigger in the transaction of every revocation, expiry, role or owner
 * change, from any connection of any process) is no longer the one the cache was filled under. Reading that row is
 * one index-free probe; the lookup it saves is a key-hash index probe and a row of ten columns. So a revocation takes
 * effect with the next request, as without the cache. Expiry is judged on every use, against the clock. Only keys
 * that exist are cached (unknown hashes, which anyone can send, are not), at most `maxEntries` of them, by hash: the
 * secret itself is never kept.
 */
export class KeyCache {
  readonly #keys: ApiKeyStore;
  readonly #maxEntries: number;
  #generation = -1;
  readonly #entries = new Map<string, { key: ApiKeyRecord; revoked: boolean }>();

  constructor(keys: ApiKeyStore, maxEntries = 10_000) {
    this.#keys = keys;
    this.#maxEntries = maxEntries;
  }

  /** Like ApiKeyStore.findByHash, from the cache while no key's authority changed. */
  find(hash: Buffer, now = new Date()): FoundKey | undefined {
    const generation = this.#keys.generation();
    if (generation !== this.#generation) {
      this.#entries.clear();
      this.#generation = generation;
    }
    const id = hash.toString("base64");
    let entry = this.#entries.get(id);
    if (!entry) {
      // Read after the generation: a change committed in between is seen by the next request's generation.
      const found = this.#keys.findByHash(hash, now);
      if (!found) return undefined;
      entry = { key: found.key, revoked: found.state === "revoked" };
      if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(id, entry);
    }
    return { key: entry.key, state: entry.revoked ? "revoked" : keyState(entry.key, null, now) };
  }

  /** A use of the key was recorded (last_used_at, which no trigger watches): the cached record says so too. */
  touched(hash: Buffer, now = new Date()): void {
    const entry = this.#entries.get(hash.toString("base64"));
    if (entry) entry.key = { ...entry.key, last_used_at: now.toISOString() };
  }

  /** How many keys are cached (for the tests). */
  get size(): number {
    return this.#entries.size;
  }
}

const COLUMNS = "id, name, role, account_id, enterprise_id, created_at, created_by_key_id AS created_by, expires_at, last_used_at";

function scopeWhere(scope: KeyScope): { sql: string; arg: string | null } {
  if ("accountId" in scope) return { sql: "account_id = ?", arg: scope.accountId };
  if ("enterpriseId" in scope) return { sql: "enterprise_id = ?", arg: scope.enterpriseId };
  return { sql: "role = 'platform_admin' AND ? IS NULL", arg: null };
}

export class ApiKeyStore {
  readonly #db: Database.Database;
  readonly #stmts;
  /** The page statement of each scope's shape (three), prepared once. */
  readonly #pages = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = {
      insert: db.prepare(
        `INSERT INTO api_keys (id, name, role, account_id, enterprise_id, key_hash, created_at, created_by_key_id, expires_at)
         VALUES (@id, @name, @role, @account_id, @enterprise_id, @hash, @created_at, @created_by, @expires_at)`,
      ),
      byHash: db.prepare<[Buffer], KeyRow>(`SELECT ${COLUMNS}, revoked_at FROM api_keys WHERE key_hash = ?`),
      generation: db.prepare<[], number>("SELECT generation FROM api_key_generation").pluck(),
      touch: db.prepare<[string, string, string]>(
        "UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
      ),
      countActivePlatform: db.prepare<[string], { n: number }>(
        `SELECT count(*) AS n FROM api_keys WHERE role = 'platform_admin' AND revoked_at IS NULL
           AND (expires_at IS NULL OR expires_at > ?)`,
      ),
      revokeMinted: db.prepare(
        // Every key of the account whose chain of creators reaches a key of the enterprise: the enterprise's
        // authority over the account ends with the link, so must everything it handed out there.
        `WITH RECURSIVE minted(id) AS (
           SELECT k.id FROM api_keys k JOIN api_keys c ON c.id = k.created_by_key_id
            WHERE k.account_id = @account_id AND c.enterprise_id = @enterprise_id
           UNION
           SELECT k.id FROM api_keys k JOIN minted m ON k.created_by_key_id = m.id WHERE k.account_id = @account_id
         )
         UPDATE api_keys SET revoked_at = @now, revoked_by = '${REVOKED_BY_UNLINK}'
          WHERE id IN (SELECT id FROM minted) AND revoked_at IS NULL`,
      ),
    };
  }

  create(key: {
    id: string;
    name: string;
    role: ApiKeyRecord["role"];
    accountId: string | null;
    enterpriseId?: string | null;
    hash: Buffer;
    createdBy?: string | null;
    expiresAt?: string | null;
  }): ApiKeyRecord {
    const record: ApiKeyRecord = {
      id: key.id,
      name: key.name,
      role: key.role,
      account_id: key.accountId,
      enterprise_id: key.enterpriseId ?? null,
      created_at: new Date().toISOString(),
      created_by: key.createdBy ?? null,
      expires_at: key.expiresAt ?? null,
      last_used_at: null,
    };
    this.#db.transaction(() => this.#stmts.insert.run({ ...record, hash: key.hash })).immediate();
    return record;
  }

  /**
   * The key with this hash, as authentication sees it: "revoked" and "expired" keys are told apart from unknown
   * ones (undefined) only for the message to their holder.
   */
  findByHash(hash: Buffer, now = new Date()): FoundKey | undefined {
    const row = this.#stmts.byHash.get(hash);
    if (!row) return undefined;
    const { revoked_at, ...key } = row;
    return { key, state: keyState(key, revoked_at, now) };
  }

  /** The generation of the keys' authority: changes with every revocation, expiry, role or owner change (migration 7). */
  generation(): number {
    return this.#stmts.generation.get()!;
  }

  /** Records a use, at most once per TOUCH_INTERVAL_MS (the condition is in the UPDATE, so no read is needed). */
  touch(key: ApiKeyRecord, now = new Date()): void {
    if (!touchDue(key, now)) return;
    const cutoff = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString();
    this.#stmts.touch.run(now.toISOString(), key.id, cutoff);
  }

  /** The scope's keys that are not revoked (expired ones included, with expires_at), oldest first: all of them (the admin CLI). */
  list(scope: KeyScope): ApiKeyRecord[] {
    const w = scopeWhere(scope);
    return this.#db.prepare(`SELECT ${COLUMNS} FROM api_keys WHERE ${w.sql} AND revoked_at IS NULL ORDER BY created_at, id`).all(w.arg) as ApiKeyRecord[];
  }

  /** At most `limit` of those keys after the position [created_at, id] (from the start when null), oldest first. */
  listPage(scope: KeyScope, after: [string, string] | null, limit: number): ApiKeyRecord[] {
    const w = scopeWhere(scope);
    const sql = `SELECT ${COLUMNS} FROM api_keys WHERE ${w.sql} AND revoked_at IS NULL AND (created_at, id) > (?, ?) ORDER BY created_at, id LIMIT ?`;
    let stmt = this.#pages.get(sql);
    if (!stmt) this.#pages.set(sql, (stmt = this.#db.prepare(sql)));
    return stmt.all(w.arg, after?.[0] ?? "", after?.[1] ?? "", limit) as ApiKeyRecord[];
  }

  /**
   * Revokes one key of the scope; its next request gets 401. The platform's last active administrator key may not
   * be revoked through the API (create another first, or use `npm run admin`).
   */
  revoke(scope: KeyScope, keyId: string, byKeyId: string | null): RevokeResult {
    const w = scopeWhere(scope);
    return this.#db
      .transaction((): RevokeResult => {
        const now = new Date().toISOString();
        const exists = this.#db.prepare(`SELECT role FROM api_keys WHERE id = ? AND ${w.sql} AND revoked_at IS NULL`).get(keyId, w.arg);
        if (!exists) return "not_found";
        if ("platform" in scope && byKeyId !== null && (this.#stmts.countActivePlatform.get(now)?.n ?? 0) <= 1) {
          return "last_platform_key";
        }
        this.#db.prepare("UPDATE api_keys SET revoked_at = ?, revoked_by = ? WHERE id = ?").run(now, byKeyId ?? "cli", keyId);
        return "revoked";
      })
      .immediate();
  }

  /** Inside the caller's transaction: revokes the account's keys minted (directly or not) by the enterprise's keys. */
  revokeMintedBy(enterpriseId: string, accountId: string): number {
    return this.#stmts.revokeMinted.run({ enterprise_id: enterpriseId, account_id: accountId, now: new Date().toISOString() }).changes;
  }

  hasActivePlatformAdmin(): boolean {
    return (this.#stmts.countActivePlatform.get(new Date().toISOString())?.n ?? 0) > 0;
  }
}
