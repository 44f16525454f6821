// Trusted profiles (issue #6): one row per profile, with a version and an entity tag like the settings, so that
// PUT and DELETE can compare-and-set. Prepared statements; every write in one IMMEDIATE transaction.
import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import { compareAndSet } from "./compare-and-set.ts";
import { entityTagOf } from "./entity-tag.ts";
import type { Precondition } from "./precondition.ts";
import type { TrustedProfile } from "../../schemas/wire.ts";

export type { TrustedProfile };


export interface TrustedProfileChanges {
  name?: string;
  session_duration_in_seconds?: string;
}

export type ProfileUpdateResult =
  | { outcome: "updated" | "unchanged"; profile: TrustedProfile }
  | { outcome: "not_found" }
  | { outcome: "precondition_failed" };

export type ProfileDeleteResult = "deleted" | "not_found" | "precondition_failed";

interface ProfileRow {
  profile_id: string;
  account_id: string;
  name: string;
  session_duration_in_seconds: string;
  version: number;
  etag_salt: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = "profile_id, account_id, name, session_duration_in_seconds, version, etag_salt, created_at, updated_at";

/** `Profile-` + 32 lower-case hex digits. */
export function generateProfileId(): string {
  return `Profile-${randomBytes(16).toString("hex")}`;
}

function tagOf(row: ProfileRow): string {
  return entityTagOf({ owner_kind: "trusted_profile", owner_id: row.profile_id, etag_salt: row.etag_salt, version: row.version });
}

function toProfile(row: ProfileRow): TrustedProfile {
  return {
    profile_id: row.profile_id,
    account_id: row.account_id,
    name: row.name,
    session_duration_in_seconds: row.session_duration_in_seconds,
    entity_tag: tagOf(row),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export class TrustedProfileStore {
  readonly #db: Database.Database;
  readonly #stmts;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = {
      insert: db.prepare<[ProfileRow]>(
        `INSERT INTO trusted_profiles (${COLUMNS})
         VALUES (@profile_id, @account_id, @name, @session_duration_in_seconds, @version, @etag_salt, @created_at, @updated_at)`,
      ),
      get: db.prepare<[string, string], ProfileRow>(`SELECT ${COLUMNS} FROM trusted_profiles WHERE account_id = ? AND profile_id = ?`),
      listPage: db.prepare<[string, string, string, number], ProfileRow>(
        `SELECT ${COLUMNS} FROM trusted_profiles WHERE account_id = ? AND (created_at, profile_id) > (?, ?)
         ORDER BY created_at, profile_id LIMIT ?`,
      ),
      update: db.prepare<[{ name: string; session_duration_in_seconds: string; version: number; updated_at: string; profile_id: string; expected_version: number }]>(
        `UPDATE trusted_profiles SET name = @name, session_duration_in_seconds = @session_duration_in_seconds,
           version = @version, updated_at = @updated_at
         WHERE profile_id = @profile_id AND version = @expected_version`,
      ),
      delete: db.prepare<[string]>("DELETE FROM trusted_profiles WHERE profile_id = ?"),
    };
  }

  create(accountId: string, name: string, sessionDuration: string): TrustedProfile {
    return this.#db
      .transaction((): TrustedProfile => {
        const at = new Date().toISOString();
        const row: ProfileRow = {
          profile_id: generateProfileId(),
          account_id: accountId,
          name,
          session_duration_in_seconds: sessionDuration,
          version: 1,
          etag_salt: randomBytes(8).toString("hex"),
          created_at: at,
          updated_at: at,
        };
        this.#stmts.insert.run(row);
        return toProfile(row);
      })
      .immediate();
  }

  get(accountId: string, profileId: string): TrustedProfile | undefined {
    const row = this.#stmts.get.get(accountId, profileId);
    return row ? toProfile(row) : undefined;
  }

  /** At most `limit` profiles after the position [created_at, profile_id] (from the start when null), oldest first. */
  listPage(accountId: string, after: [string, string] | null, limit: number): TrustedProfile[] {
    return this.#stmts.listPage.all(accountId, after?.[0] ?? "", after?.[1] ?? "", limit).map(toProfile);
  }

  /** Compare-and-set partial update; a change to the current values is a no-op (same tag). */
  update(accountId: string, profileId: string, precondition: Precondition, changes: TrustedProfileChanges): ProfileUpdateResult {
    const result = compareAndSet(this.#db, {
      read: () => this.#stmts.get.get(accountId, profileId),
      entityTag: tagOf,
      precondition,
      write: (row): ProfileUpdateResult => {
        const name = changes.name ?? row.name;
        const duration = changes.session_duration_in_seconds ?? row.session_duration_in_seconds;
        if (name === row.name && duration === row.session_duration_in_seconds) return { outcome: "unchanged", profile: toProfile(row) };
        const next: ProfileRow = { ...row, name, session_duration_in_seconds: duration, version: row.version + 1, updated_at: new Date().toISOString() };
        const { changes: n } = this.#stmts.update.run({
          name,
          session_duration_in_seconds: duration,
          version: next.version,
          updated_at: next.updated_at,
          profile_id: profileId,
          expected_version: row.version,
        });
        if (n !== 1) throw new Error("trusted profile changed inside its own transaction");
        return { outcome: "updated", profile: toProfile(next) };
      },
    });
    return result.outcome === "done" ? result.value : { outcome: result.outcome };
  }

  /** Deletes a profile; with a precondition only if it holds. */
  delete(accountId: string, profileId: string, precondition: Precondition | undefined): ProfileDeleteResult {
    const result = compareAndSet(this.#db, {
      read: () => this.#stmts.get.get(accountId, profileId),
      entityTag: tagOf,
      precondition,
      write: () => {
        this.#stmts.delete.run(profileId);
      },
    });
    return result.outcome === "done" ? "deleted" : result.outcome;
  }
}
