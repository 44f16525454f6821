// The session engine's store on the API's SQLite database (api/sessions/store.ts is the interface). The statements
// are synchronous (better-sqlite3); the writes run on the API's writer (writer.ts: the writer thread, group commit),
// the reads on the event loop's connection: `sessionStoreOn` joins the two into the engine's SessionStore. admit runs
// in one IMMEDIATE transaction (on the writer, the writer's own), which serialises it against every other writer of the
// file, in this process or another.
import type Database from "better-sqlite3";
import type { AccountLevels } from "../effective.ts";
import type { EndOrder, EndReason, NewSession, SessionRecord } from "../sessions/model.ts";
import { decideAdmission, decideTrim } from "../sessions/admission.ts";
import type { AdmitDecision, PolicySource, SessionFilter, SessionPage, SessionStore } from "../sessions/store.ts";
import type { SessionLimits } from "../sessions/model.ts";
import type { Remote } from "./writer.ts";
import { SETTING_NAMES, type SettingsValues } from "../../schemas/settings.ts";
import type { DirectoryStore } from "./directory.ts";
import { immediate } from "./immediate.ts";

interface SessionRow {
  session_id: string;
  iam_id: string;
  account_id: string;
  channel: "console" | "cli";
  profile_id: string | null;
  credential_key_id: string | null;
  created_at: number;
  last_access_at: number;
  ended_at: number | null;
  end_reason: EndReason | null;
  ended_by: string | null;
  client_address: string | null;
  user_agent: string | null;
}

const COLUMNS =
  "session_id, iam_id, account_id, channel, profile_id, credential_key_id, created_at, last_access_at, ended_at, end_reason, ended_by, client_address, user_agent";

function toRecord(r: SessionRow): SessionRecord {
  return {
    sessionId: r.session_id,
    iamId: r.iam_id,
    accountId: r.account_id,
    channel: r.channel,
    profileId: r.profile_id,
    credentialKeyId: r.credential_key_id,
    createdAt: r.created_at,
    lastAccessAt: r.last_access_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    endedBy: r.ended_by,
    clientAddress: r.client_address,
    userAgent: r.user_agent,
  };
}

/** `WHERE …` for a filter; every given field must match. */
function where(filter: SessionFilter): { sql: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  const add = (column: string, name: keyof SessionFilter, op = "=") => {
    const v = filter[name];
    if (v === undefined) return;
    parts.push(`${column} ${op} @${name}`);
    params[name] = v;
  };
  add("session_id", "sessionId");
  add("iam_id", "iamId");
  add("account_id", "accountId");
  add("credential_key_id", "credentialKeyId");
  add("session_id", "exceptSessionId", "<>");
  return { sql: parts.length ? parts.join(" AND ") : "1", params };
}

/** The statements; every method is synchronous (run by the writer for writes). */
export class SqliteSessionStore {
  readonly #db: Database.Database;
  readonly #stmts;
  readonly #filtered = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stmts = {
      active: db.prepare<[string], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE iam_id = ? AND ended_at IS NULL`),
      countActive: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sessions WHERE iam_id = ? AND ended_at IS NULL"),
      insert: db.prepare(
        `INSERT INTO sessions (session_id, token_hash, iam_id, account_id, channel, profile_id, credential_key_id, created_at,
           last_access_at, client_address, user_agent)
         VALUES (@sessionId, @tokenHash, @iamId, @accountId, @channel, @profileId, @credentialKeyId, @createdAt, @lastAccessAt,
           @clientAddress, @userAgent)`,
      ),
      byHash: db.prepare<[Buffer], SessionRow>(`SELECT ${COLUMNS} FROM sessions WHERE token_hash = ?`),
      touch: db.prepare<[number, string, number]>(
        "UPDATE sessions SET last_access_at = ? WHERE session_id = ? AND ended_at IS NULL AND last_access_at < ?",
      ),
      endOne: db.prepare<[number, EndReason, string | null, string]>(
        "UPDATE sessions SET ended_at = ?, end_reason = ?, ended_by = ? WHERE session_id = ? AND ended_at IS NULL",
      ),
      reapLifetime: db.prepare<[number, number]>(
        "UPDATE sessions SET ended_at = ?, end_reason = 'lifetime_expired' WHERE ended_at IS NULL AND created_at <= ?",
      ),
      reapIdle: db.prepare<[number, number]>(
        "UPDATE sessions SET ended_at = ?, end_reason = 'idle_timeout' WHERE ended_at IS NULL AND last_access_at <= ?",
      ),
      deleteEnded: db.prepare<[number]>("DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?"),
      deleteTokens: db.prepare<[number]>("DELETE FROM access_tokens WHERE expires_at <= ?"),
    };
  }

  admit(fresh: NewSession, limits: SessionLimits | null): AdmitDecision {
    return immediate(this.#db, (): AdmitDecision => {
      const decision = limits
        ? decideAdmission(fresh, limits, fresh.createdAt, this.#stmts.active.all(fresh.iamId).map(toRecord))
        : { admit: true, end: [] };
      for (const o of decision.end) this.#stmts.endOne.run(fresh.createdAt, o.reason, o.endedBy, o.sessionId);
      if (decision.admit) this.#stmts.insert.run(fresh);
      return decision;
    });
  }

  countActive(iamId: string): number {
    return this.#stmts.countActive.get(iamId)!.n;
  }

  trim(iamId: string, limits: SessionLimits, now: number): EndOrder[] {
    return this.#db
      .transaction((): EndOrder[] => {
        const orders = decideTrim(limits, now, this.#stmts.active.all(iamId).map(toRecord));
        for (const o of orders) this.#stmts.endOne.run(now, o.reason, o.endedBy, o.sessionId);
        return orders;
      })
      .immediate();
  }

  findByTokenHash(tokenHash: Buffer): SessionRecord | undefined {
    const row = this.#stmts.byHash.get(tokenHash);
    return row ? toRecord(row) : undefined;
  }

  touch(sessionId: string, at: number): boolean {
    return this.#stmts.touch.run(at, sessionId, at).changes > 0;
  }

  end(filter: SessionFilter, reason: EndReason, endedBy: string | null, at: number): string[] {
    const w = where(filter);
    const stmt = this.#statement(
      `UPDATE sessions SET ended_at = @at, end_reason = @reason, ended_by = @endedBy WHERE ended_at IS NULL AND ${w.sql} RETURNING session_id`,
    );
    return this.#db
      .transaction(() => (stmt.all({ ...w.params, at, reason, endedBy }) as Array<{ session_id: string }>).map((r) => r.session_id))
      .immediate();
  }

  endEach(orders: EndOrder[], at: number): void {
    if (orders.length === 0) return;
    this.#db
      .transaction(() => {
        for (const o of orders) this.#stmts.endOne.run(at, o.reason, o.endedBy, o.sessionId);
      })
      .immediate();
  }

  list(filter: SessionFilter, endedSince: number, page: SessionPage): SessionRecord[] {
    const w = where(filter);
    const after = page.after ? "AND (created_at, session_id) < (@afterCreatedAt, @afterSessionId)" : "";
    const stmt = this.#statement(
      `SELECT ${COLUMNS} FROM sessions WHERE (ended_at IS NULL OR ended_at >= @endedSince) AND ${w.sql} ${after}
       ORDER BY created_at DESC, session_id DESC LIMIT @limit`,
    );
    const position = page.after ? { afterCreatedAt: page.after.createdAt, afterSessionId: page.after.sessionId } : {};
    return (stmt.all({ ...w.params, ...position, endedSince, limit: page.limit }) as SessionRow[]).map(toRecord);
  }

  reap(now: number, maxLifetimeMs: number, maxIdleMs: number, deleteEndedBefore: number): void {
    this.#db
      .transaction(() => {
        this.#stmts.reapLifetime.run(now, now - maxLifetimeMs);
        this.#stmts.reapIdle.run(now, now - maxIdleMs);
        this.#stmts.deleteEnded.run(deleteEndedBefore);
        this.#stmts.deleteTokens.run(now);
      })
      .immediate();
  }

  /** Filters combine a handful of fields, so their statements are prepared once per shape. */
  #statement(sql: string): Database.Statement {
    let stmt = this.#filtered.get(sql);
    if (!stmt) this.#filtered.set(sql, (stmt = this.#db.prepare(sql)));
    return stmt;
  }
}

/**
 * The engine's SessionStore: reads on the event loop's connection (`reads`), writes by the writer (`writes`, the same
 * store's methods run there), so no write ever waits on the lock or an fsync on the event loop.
 */
export function sessionStoreOn(reads: SqliteSessionStore, writes: Remote<SqliteSessionStore>): SessionStore {
  return {
    admit: (fresh, limits) => writes.admit(fresh, limits),
    findByTokenHash: async (tokenHash) => reads.findByTokenHash(tokenHash),
    countActive: async (iamId) => reads.countActive(iamId),
    trim: (iamId, limits, now) => writes.trim(iamId, limits, now),
    touch: (sessionId, at) => writes.touch(sessionId, at),
    end: (filter, reason, endedBy, at) => writes.end(filter, reason, endedBy, at),
    endEach: async (orders, at) => {
      if (orders.length > 0) await writes.endEach(orders, at);
    },
    list: async (filter, endedSince, page) => reads.list(filter, endedSince, page),
    reap: (now, maxLifetimeMs, maxIdleMs, deleteEndedBefore) => writes.reap(now, maxLifetimeMs, maxIdleMs, deleteEndedBefore),
  };
}

type Values = SettingsValues;

/** A row of the levels statements: the account's settings (a_…), its enterprise's id and settings (e_…, null when none). */
type LevelsRow = { account_id: string; enterprise_id: string | null; e_owner: string | null } & Record<string, string | null>;

/**
 * Memberships, settings and trusted profiles as the engine needs them, read fresh at every call. An identity's
 * levels are ONE statement (its memberships joined to each account's settings, enterprise link and enterprise
 * settings): one statement reads one snapshot, so a settings change mid-way cannot mix old and new values, and a
 * login or validation pays one statement instead of one plus three per account.
 */
export class SqlitePolicySource implements PolicySource {
  readonly #directory: DirectoryStore;
  readonly #stmts;

  constructor(db: Database.Database, directory: DirectoryStore) {
    this.#directory = directory;
    const cols = [
      "s.owner_id AS account_id",
      "ae.enterprise_id",
      "e.owner_id AS e_owner",
      ...SETTING_NAMES.map((n) => `s.${n} AS a_${n}`),
      ...SETTING_NAMES.map((n) => `e.${n} AS e_${n}`),
    ].join(", ");
    const joins = `LEFT JOIN account_enterprise ae ON ae.account_id = s.owner_id
       LEFT JOIN settings e ON e.owner_kind = 'enterprise' AND e.owner_id = ae.enterprise_id`;
    this.#stmts = {
      // The memberships are account_members' rows, as DirectoryStore.accountsOf counts them; an account without a
      // settings row has no levels (as before: the inner join leaves it out).
      ofIdentity: db.prepare<[string], LevelsRow>(
        `SELECT ${cols} FROM account_members m
           JOIN settings s ON s.owner_kind = 'account' AND s.owner_id = m.account_id
           ${joins}
         WHERE m.iam_id = ? ORDER BY m.account_id`,
      ),
      ofAccount: db.prepare<[string], LevelsRow>(`SELECT ${cols} FROM settings s ${joins} WHERE s.owner_kind = 'account' AND s.owner_id = ?`),
      profile: db.prepare<[string], { account_id: string; session_duration_in_seconds: string }>(
        "SELECT account_id, session_duration_in_seconds FROM trusted_profiles WHERE profile_id = ?",
      ),
    };
  }

  async levelsForIdentity(iamId: string): Promise<AccountLevels[]> {
    return this.#stmts.ofIdentity.all(iamId).map(toLevels);
  }

  async levelsForAccount(accountId: string): Promise<AccountLevels | undefined> {
    const row = this.#stmts.ofAccount.get(accountId);
    return row ? toLevels(row) : undefined;
  }

  async profile(profileId: string): Promise<{ accountId: string; sessionDuration: string } | undefined> {
    const row = this.#stmts.profile.get(profileId);
    return row ? { accountId: row.account_id, sessionDuration: row.session_duration_in_seconds } : undefined;
  }

  async isMember(accountId: string, iamId: string): Promise<boolean> {
    return this.#directory.isMember(accountId, iamId);
  }
}

function toLevels(row: LevelsRow): AccountLevels {
  const account = {} as Values;
  const enterprise = {} as Values;
  for (const n of SETTING_NAMES) {
    account[n] = row[`a_${n}`] as Values[typeof n];
    enterprise[n] = row[`e_${n}`] as Values[typeof n];
  }
  // A link to an enterprise without settings counts as no enterprise level (as before).
  const linked = row.enterprise_id !== null && row.e_owner !== null;
  return { accountId: row.account_id, account, enterprise: linked ? { enterpriseId: row.enterprise_id!, values: enterprise } : null };
}
