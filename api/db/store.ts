// All reads and writes of the API's data, as prepared statements. Every write runs in one (IMMEDIATE) transaction;
// the API calls the write methods through its writer (writer.ts), which groups them into shared commits.
// Settings are stored per owner (kind + id): accounts and enterprises share the same tables and code.
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { NOT_SET, SETTING_NAMES, unsetSettings, type SettingName, type SettingsValues } from "../../schemas/settings.ts";
import type { Role } from "../keys.ts";
import { ApiKeyStore, type ApiKeyRecord } from "./api-keys.ts";
import { compareAndSet } from "./compare-and-set.ts";
import { CredentialStore } from "./credentials.ts";
import { DirectoryStore } from "./directory.ts";
import { SqlitePolicySource, SqliteSessionStore } from "./sessions.ts";
import { entityTagOf } from "./entity-tag.ts";
import type { Precondition } from "./precondition.ts";
import { TrustedProfileStore } from "./trusted-profiles.ts";
import { IdempotencyStore } from "./idempotency.ts";
import type { HistoryEntry, OwnerKind } from "../../schemas/wire.ts";

export type { HistoryEntry, OwnerKind, Precondition };

export interface AccountRecord {
  account_id: string;
  name: string;
  created_at: string;
}

export interface EnterpriseRecord {
  enterprise_id: string;
  name: string;
  created_at: string;
}

export type { ApiKeyRecord };

export interface SettingsRecord {
  ownerKind: OwnerKind;
  ownerId: string;
  values: SettingsValues;
  version: number;
  entityTag: string;
  updatedAt: string;
}

export interface Actor {
  keyId: string;
  keyName: string;
  /** The key's account; null for enterprise keys and platform administrators. */
  accountId: string | null;
  /** The key's enterprise; null for account keys and platform administrators. */
  enterpriseId: string | null;
  /** The Idempotency-Key the request carried, recorded in the history entry (see api/idempotency.ts). */
  idempotencyKey?: string | null;
}


export type UpdateResult =
  | { outcome: "updated" | "unchanged"; record: SettingsRecord }
  | { outcome: "not_found" }
  | { outcome: "precondition_failed"; current: SettingsRecord };

interface SettingsRow {
  owner_kind: OwnerKind;
  owner_id: string;
  session_expiration_in_seconds: string;
  session_invalidation_in_seconds: string;
  max_sessions_per_identity: string;
  max_sessions_exceeded_action: string;
  version: number;
  etag_salt: string;
  updated_at: string;
}

interface HistoryRow {
  version: number;
  changed_at: string;
  changed_by_key_id: string;
  changed_by_key_name: string;
  changed_by_account_id: string | null;
  changed_by_enterprise_id: string | null;
  idempotency_key: string | null;
  action: "update";
  old_values: string;
  new_values: string;
}

/** Opaque, changes with every version; derived from owner, a per-owner random salt and the version. */
export { entityTagOf };

function now(): string {
  return new Date().toISOString();
}

function toRecord(row: SettingsRow): SettingsRecord {
  return {
    ownerKind: row.owner_kind,
    ownerId: row.owner_id,
    values: pickValues(row),
    version: row.version,
    entityTag: entityTagOf(row),
    updatedAt: row.updated_at,
  };
}

function pickValues(source: object): SettingsValues {
  const from = source as Record<string, unknown>;
  // History written before a setting existed has no value for it: it was NOT_SET then.
  return Object.fromEntries(SETTING_NAMES.map((n) => [n, from[n] === undefined || from[n] === null ? NOT_SET : String(from[n])])) as SettingsValues;
}

export class Store {
  readonly #db: Database.Database;
  readonly #stmts;
  /** Enterprise links, identities and memberships. */
  readonly directory: DirectoryStore;
  readonly profiles: TrustedProfileStore;
  /** API key lifecycle: list, revoke, expiry, last use. */
  readonly keys: ApiKeyStore;
  /** Idempotency-Key records (written only together with the write they belong to: see writer.ts). */
  readonly idempotency: IdempotencyStore;
  /** The session engine's store and policy source (issue #13), and identities' credentials. */
  readonly sessions: SqliteSessionStore;
  readonly policy: SqlitePolicySource;
  readonly credentials: CredentialStore;

  constructor(db: Database.Database) {
    this.#db = db;
    this.keys = new ApiKeyStore(db);
    this.idempotency = new IdempotencyStore(db);
    this.directory = new DirectoryStore(db, this.keys);
    this.profiles = new TrustedProfileStore(db);
    this.sessions = new SqliteSessionStore(db);
    this.policy = new SqlitePolicySource(db, this.directory);
    this.credentials = new CredentialStore(db);
    const cols = SETTING_NAMES.join(", ");
    this.#stmts = {
      insertAccount: db.prepare<[string, string, string]>(
        "INSERT INTO accounts (account_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (account_id) DO NOTHING",
      ),
      getAccount: db.prepare<[string], AccountRecord>("SELECT account_id, name, created_at FROM accounts WHERE account_id = ?"),
      insertEnterprise: db.prepare<[string, string, string]>(
        "INSERT INTO enterprises (enterprise_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (enterprise_id) DO NOTHING",
      ),
      getEnterprise: db.prepare<[string], EnterpriseRecord>(
        "SELECT enterprise_id, name, created_at FROM enterprises WHERE enterprise_id = ?",
      ),
      insertSettings: db.prepare<[OwnerKind, string, ...string[]]>(
        `INSERT INTO settings (owner_kind, owner_id, ${cols}, version, etag_salt, updated_at)
         VALUES (?, ?, ${SETTING_NAMES.map(() => "?").join(", ")}, 1, ?, ?)`,
      ),
      getSettings: db.prepare<[OwnerKind, string], SettingsRow>(
        `SELECT owner_kind, owner_id, ${cols}, version, etag_salt, updated_at FROM settings WHERE owner_kind = ? AND owner_id = ?`,
      ),
      updateSettings: db.prepare(
        `UPDATE settings SET ${SETTING_NAMES.map((n) => `${n} = @${n}`).join(", ")}, version = @version, updated_at = @updated_at
         WHERE owner_kind = @owner_kind AND owner_id = @owner_id AND version = @expected_version`,
      ),
      insertHistory: db.prepare(
        `INSERT INTO settings_history (owner_kind, owner_id, version, changed_at, changed_by_key_id, changed_by_key_name,
           changed_by_account_id, changed_by_enterprise_id, idempotency_key, action, old_values, new_values)
         VALUES (@owner_kind, @owner_id, @version, @changed_at, @key_id, @key_name, @account_id, @enterprise_id, @idempotency_key,
           'update', @old_values, @new_values)`,
      ),
      // Newest first, a page at a time (the primary key's order, so a page reads only its own rows).
      historyPage: db.prepare<[OwnerKind, string, number, number], HistoryRow>(
        `SELECT version, changed_at, changed_by_key_id, changed_by_key_name, changed_by_account_id, changed_by_enterprise_id,
           idempotency_key, action, old_values, new_values
         FROM settings_history WHERE owner_kind = ? AND owner_id = ? AND version < ? ORDER BY version DESC LIMIT ?`,
      ),
    };
  }

  // --- accounts ---------------------------------------------------------------------------------------------------

  /** Creates an account and its settings (all NOT_SET, version 1) together; undefined when the id exists. */
  createAccount(accountId: string, name: string): AccountRecord | undefined {
    return this.#db
      .transaction((): AccountRecord | undefined => {
        const createdAt = now();
        const { changes } = this.#stmts.insertAccount.run(accountId, name, createdAt);
        if (changes === 0) return undefined;
        this.#insertSettings("account", accountId, createdAt);
        return { account_id: accountId, name, created_at: createdAt };
      })
      .immediate();
  }

  getAccount(accountId: string): AccountRecord | undefined {
    return this.#stmts.getAccount.get(accountId);
  }

  // --- enterprises ------------------------------------------------------------------------------------------------

  /** Creates an enterprise and its settings (all NOT_SET, version 1) together; undefined when the id exists. */
  createEnterprise(enterpriseId: string, name: string): EnterpriseRecord | undefined {
    return this.#db
      .transaction((): EnterpriseRecord | undefined => {
        const createdAt = now();
        const { changes } = this.#stmts.insertEnterprise.run(enterpriseId, name, createdAt);
        if (changes === 0) return undefined;
        this.#insertSettings("enterprise", enterpriseId, createdAt);
        return { enterprise_id: enterpriseId, name, created_at: createdAt };
      })
      .immediate();
  }

  getEnterprise(enterpriseId: string): EnterpriseRecord | undefined {
    return this.#stmts.getEnterprise.get(enterpriseId);
  }

  // --- API keys ---------------------------------------------------------------------------------------------------

  /** A key of an account (accountId), of an enterprise (enterpriseId), or a platform administrator's (neither). */
  createApiKey(key: Parameters<ApiKeyStore["create"]>[0]): ApiKeyRecord {
    return this.keys.create(key);
  }

  /** An active key (not revoked, not expired) by its hash. */
  findApiKeyByHash(hash: Buffer): ApiKeyRecord | undefined {
    const found = this.keys.findByHash(hash);
    return found?.state === "active" ? found.key : undefined;
  }

  /** Whether an active platform administrator key exists. */
  hasPlatformAdmin(): boolean {
    return this.keys.hasActivePlatformAdmin();
  }

  /**
   * Runs `read` in one (deferred) read transaction, so several reads see one consistent snapshot of the database
   * (used by the effective settings, which combine rows of several tables).
   */
  snapshot<T>(read: () => T): T {
    return this.#db.transaction(read)();
  }

  // --- settings ---------------------------------------------------------------------------------------------------

  getSettings(kind: OwnerKind, ownerId: string): SettingsRecord | undefined {
    const row = this.#stmts.getSettings.get(kind, ownerId);
    return row ? toRecord(row) : undefined;
  }

  /** At most `limit` history entries older than version `before` (all when null), newest first. */
  getHistoryPage(kind: OwnerKind, ownerId: string, before: number | null, limit: number): HistoryEntry[] {
    return this.#stmts.historyPage.all(kind, ownerId, before ?? Number.MAX_SAFE_INTEGER, limit).map((r) => ({
      version: r.version,
      changed_at: r.changed_at,
      changed_by: {
        key_id: r.changed_by_key_id,
        key_name: r.changed_by_key_name,
        account_id: r.changed_by_account_id,
        enterprise_id: r.changed_by_enterprise_id,
        iam_id: r.changed_by_key_id,
      },
      idempotency_key: r.idempotency_key,
      action: r.action,
      old: pickValues(JSON.parse(r.old_values) as Record<string, unknown>),
      new: pickValues(JSON.parse(r.new_values) as Record<string, unknown>),
    }));
  }

  /**
   * Compare-and-set: applies `changes` only if the precondition holds against the current version, all in one
   * IMMEDIATE transaction (so concurrent writers, even in other processes, serialise). Changes equal to the current
   * values are a no-op: same version, same entity tag, no history entry.
   */
  updateSettings(kind: OwnerKind, ownerId: string, precondition: Precondition, changes: Partial<SettingsValues>, actor: Actor): UpdateResult {
    const result = compareAndSet<SettingsRow, UpdateResult>(this.#db, {
      read: () => this.#stmts.getSettings.get(kind, ownerId),
      entityTag: entityTagOf,
      precondition,
      write: (row): UpdateResult => {
        const current = toRecord(row);
        const next: SettingsValues = { ...current.values };
        for (const name of SETTING_NAMES) {
          const v = changes[name as SettingName];
          if (v !== undefined) next[name] = v;
        }
        if (SETTING_NAMES.every((n) => next[n] === current.values[n])) return { outcome: "unchanged", record: current };
        const version = row.version + 1;
        const changedAt = now();
        const { changes: n } = this.#stmts.updateSettings.run({
          ...next,
          version,
          updated_at: changedAt,
          owner_kind: kind,
          owner_id: ownerId,
          expected_version: row.version,
        });
        if (n !== 1) throw new Error("settings row changed inside its own transaction");
        this.#stmts.insertHistory.run({
          owner_kind: kind,
          owner_id: ownerId,
          version,
          changed_at: changedAt,
          key_id: actor.keyId,
          key_name: actor.keyName,
          account_id: actor.accountId,
          enterprise_id: actor.enterpriseId,
          idempotency_key: actor.idempotencyKey ?? null,
          old_values: JSON.stringify(current.values),
          new_values: JSON.stringify(next),
        });
        return { outcome: "updated", record: toRecord({ ...row, ...next, version, updated_at: changedAt }) };
      },
    });
    if (result.outcome === "done") return result.value;
    if (result.outcome === "precondition_failed") return { outcome: "precondition_failed", current: toRecord(result.current) };
    return result;
  }

  #insertSettings(kind: OwnerKind, ownerId: string, at: string): void {
    const values = unsetSettings();
    this.#stmts.insertSettings.run(kind, ownerId, ...SETTING_NAMES.map((n) => values[n]), randomBytes(8).toString("hex"), at);
  }
}
