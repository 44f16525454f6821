// Versioned schema migrations. The database's `user_version` records the last one applied; each migration runs in
// its own transaction together with the version bump, so a crash leaves either the old or the new schema.
// Never edit a migration that has shipped: add a new one.
import type Database from "better-sqlite3";

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "accounts, API keys, settings by owner kind, settings history",
    sql: `
      CREATE TABLE accounts (
        account_id TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE api_keys (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL CHECK (role IN ('platform_admin', 'viewer', 'editor', 'administrator', 'owner')),
        account_id TEXT REFERENCES accounts (account_id),
        key_hash   BLOB NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        CHECK ((role = 'platform_admin') = (account_id IS NULL))
      ) STRICT;
      CREATE INDEX api_keys_by_account ON api_keys (account_id);

      -- One row per settings owner. owner_kind is 'account' today; 'enterprise' later uses the same tables.
      CREATE TABLE settings (
        owner_kind                      TEXT NOT NULL,
        owner_id                        TEXT NOT NULL,
        session_expiration_in_seconds   TEXT NOT NULL,
        session_invalidation_in_seconds TEXT NOT NULL,
        max_sessions_per_identity       TEXT NOT NULL,
        version                         INTEGER NOT NULL,
        etag_salt                       TEXT NOT NULL,
        updated_at                      TEXT NOT NULL,
        PRIMARY KEY (owner_kind, owner_id)
      ) STRICT;

      CREATE TABLE settings_history (
        owner_kind            TEXT NOT NULL,
        owner_id              TEXT NOT NULL,
        version               INTEGER NOT NULL,
        changed_at            TEXT NOT NULL,
        changed_by_key_id     TEXT NOT NULL,
        changed_by_key_name   TEXT NOT NULL,
        changed_by_account_id TEXT,
        action                TEXT NOT NULL,
        old_values            TEXT NOT NULL,
        new_values            TEXT NOT NULL,
        PRIMARY KEY (owner_kind, owner_id, version)
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: "issue #6: enterprises (settings under owner kind 'enterprise', keys, account links), identities, memberships, trusted profiles",
    // api_keys is rebuilt (SQLite cannot change a CHECK): a key now belongs to an account, an enterprise, or
    // (platform administrators) neither. Nothing references api_keys, so the drop and rename are safe with foreign
    // keys on.
    sql: `
      CREATE TABLE enterprises (
        enterprise_id TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        created_at    TEXT NOT NULL
      ) STRICT;

      CREATE TABLE api_keys_v2 (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        role          TEXT NOT NULL CHECK (role IN ('platform_admin', 'viewer', 'editor', 'administrator', 'owner')),
        account_id    TEXT REFERENCES accounts (account_id),
        enterprise_id TEXT REFERENCES enterprises (enterprise_id),
        key_hash      BLOB NOT NULL UNIQUE,
        created_at    TEXT NOT NULL,
        CHECK (CASE WHEN role = 'platform_admin' THEN account_id IS NULL AND enterprise_id IS NULL
                    ELSE (account_id IS NULL) <> (enterprise_id IS NULL) END)
      ) STRICT;
      INSERT INTO api_keys_v2 (id, name, role, account_id, enterprise_id, key_hash, created_at)
        SELECT id, name, role, account_id, NULL, key_hash, created_at FROM api_keys;
      DROP TABLE api_keys;
      ALTER TABLE api_keys_v2 RENAME TO api_keys;
      CREATE INDEX api_keys_by_account ON api_keys (account_id);
      CREATE INDEX api_keys_by_enterprise ON api_keys (enterprise_id);

      -- An account belongs to at most one enterprise (the primary key); re-linking replaces the row.
      CREATE TABLE account_enterprise (
        account_id    TEXT PRIMARY KEY REFERENCES accounts (account_id),
        enterprise_id TEXT NOT NULL REFERENCES enterprises (enterprise_id),
        linked_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX account_enterprise_by_enterprise ON account_enterprise (enterprise_id);

      CREATE TABLE identities (
        iam_id     TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE account_members (
        account_id TEXT NOT NULL REFERENCES accounts (account_id),
        iam_id     TEXT NOT NULL REFERENCES identities (iam_id),
        added_at   TEXT NOT NULL,
        PRIMARY KEY (account_id, iam_id)
      ) STRICT;
      CREATE INDEX account_members_by_identity ON account_members (iam_id, account_id);

      CREATE TABLE trusted_profiles (
        profile_id                  TEXT PRIMARY KEY,
        account_id                  TEXT NOT NULL REFERENCES accounts (account_id),
        name                        TEXT NOT NULL,
        session_duration_in_seconds TEXT NOT NULL,
        version                     INTEGER NOT NULL,
        etag_salt                   TEXT NOT NULL,
        created_at                  TEXT NOT NULL,
        updated_at                  TEXT NOT NULL
      ) STRICT;
      CREATE INDEX trusted_profiles_by_account ON trusted_profiles (account_id, created_at);
    `,
  },
  {
    version: 3,
    description: "settings history records the enterprise of the key that made a change",
    // An enterprise key's changes had account_id null, like the platform administrator's: the enterprise tells them
    // apart. Keys are never deleted nor moved between enterprises, so earlier entries are filled in exactly from the
    // key that made them.
    sql: `
      ALTER TABLE settings_history ADD COLUMN changed_by_enterprise_id TEXT;
      UPDATE settings_history
         SET changed_by_enterprise_id = (SELECT k.enterprise_id FROM api_keys k WHERE k.id = settings_history.changed_by_key_id)
       WHERE changed_by_account_id IS NULL;
    `,
  },
  {
    version: 4,
    description: "issue #11: key lifecycle (creator, expiry, last use, revocation), member roles, invitations",
    // Memberships that exist were made by administrators: they stay, as accepted memberships with the viewer role.
    // Keys made before this have created_by_key_id null (unknown), never expire and are not revoked.
    sql: `
      ALTER TABLE api_keys ADD COLUMN created_by_key_id TEXT;
      ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
      ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
      ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;
      ALTER TABLE api_keys ADD COLUMN revoked_by TEXT;
      CREATE INDEX api_keys_by_creator ON api_keys (created_by_key_id);

      ALTER TABLE account_members ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer'
        CHECK (role IN ('viewer', 'editor', 'administrator', 'owner'));

      -- iam_id is not a foreign key: an invitation to an id that does not exist is stored and answered exactly like
      -- one to an id that does (it can never be accepted), so invitations tell no one which ids exist.
      CREATE TABLE invitations (
        invitation_id     TEXT PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts (account_id),
        iam_id            TEXT NOT NULL,
        role              TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'administrator', 'owner')),
        state             TEXT NOT NULL CHECK (state IN ('pending', 'accepted', 'declined', 'revoked')),
        invited_by_key_id TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        expires_at        TEXT NOT NULL,
        answered_at       TEXT
      ) STRICT;
      CREATE UNIQUE INDEX invitations_one_pending ON invitations (account_id, iam_id) WHERE state = 'pending';
      CREATE INDEX invitations_by_account ON invitations (account_id, created_at);
      CREATE INDEX invitations_by_identity ON invitations (iam_id, created_at);
    `,
  },
  {
    version: 5,
    description: "issue #13: sessions, identity kinds, passwords, identity API keys, access tokens, max_sessions_exceeded_action",
    // Only new tables and added columns: existing rows keep their data (identities become users, settings NOT_SET).
    // Times of the session engine are integers (milliseconds since the epoch, from the injected clock).
    sql: `
      ALTER TABLE identities ADD COLUMN kind TEXT NOT NULL DEFAULT 'user' CHECK (kind IN ('user', 'service_id'));
      ALTER TABLE settings ADD COLUMN max_sessions_exceeded_action TEXT NOT NULL DEFAULT 'NOT_SET';

      CREATE TABLE identity_passwords (
        iam_id     TEXT PRIMARY KEY REFERENCES identities (iam_id),
        hash       BLOB NOT NULL,
        salt       BLOB NOT NULL,
        params     TEXT NOT NULL,
        changed_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE identity_api_keys (
        id         TEXT PRIMARY KEY,
        iam_id     TEXT NOT NULL REFERENCES identities (iam_id),
        name       TEXT NOT NULL,
        key_hash   BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX identity_api_keys_by_identity ON identity_api_keys (iam_id, created_at);

      -- Federation keys: an account's key that may only assert federated users' logins through its trusted profiles.
      CREATE TABLE federation_keys (
        id         TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (account_id),
        name       TEXT NOT NULL,
        key_hash   BLOB NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;

      CREATE TABLE sessions (
        session_id        TEXT PRIMARY KEY,
        token_hash        BLOB NOT NULL UNIQUE,
        iam_id            TEXT NOT NULL,
        account_id        TEXT NOT NULL REFERENCES accounts (account_id),
        channel           TEXT NOT NULL CHECK (channel IN ('console', 'cli')),
        profile_id        TEXT,
        credential_key_id TEXT,
        created_at        INTEGER NOT NULL,
        last_access_at    INTEGER NOT NULL,
        ended_at          INTEGER,
        end_reason        TEXT CHECK (end_reason IN ('logout', 'idle_timeout', 'lifetime_expired', 'ended_by_self',
                            'ended_by_admin', 'evicted_by_limit', 'membership_removed', 'credential_changed', 'key_revoked')),
        ended_by          TEXT,
        client_address    TEXT,
        user_agent        TEXT,
        CHECK ((ended_at IS NULL) = (end_reason IS NULL))
      ) STRICT;
      CREATE INDEX sessions_active_by_identity ON sessions (iam_id) WHERE ended_at IS NULL;
      CREATE INDEX sessions_by_identity ON sessions (iam_id, created_at);
      CREATE INDEX sessions_by_account ON sessions (account_id, created_at);
      CREATE INDEX sessions_ended ON sessions (ended_at) WHERE ended_at IS NOT NULL;
      CREATE INDEX sessions_active_by_age ON sessions (created_at) WHERE ended_at IS NULL;
      CREATE INDEX sessions_active_by_access ON sessions (last_access_at) WHERE ended_at IS NULL;

      -- Short access tokens (POST /v1/tokens, a service ID's CLI login): no session, hash only.
      CREATE TABLE access_tokens (
        token_hash BLOB PRIMARY KEY,
        iam_id     TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts (account_id),
        key_id     TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX access_tokens_by_expiry ON access_tokens (expires_at);
      CREATE INDEX access_tokens_by_key ON access_tokens (key_id);
    `,
  },
  {
    version: 6,
    description: "issue #12: Idempotency-Key records (a POST's fingerprint and outcome, kept 24 hours); the key of each settings change",
    // Keyed by the calling API key and the client's Idempotency-Key: one tenant's key can never replay, or even
    // detect, another's request. History entries gain the Idempotency-Key of the PUT that made them (null for older
    // entries and for PUTs without one): a client whose answer was lost can tell whether its change was made.
    sql: `
      ALTER TABLE settings_history ADD COLUMN idempotency_key TEXT;

      CREATE TABLE idempotency_keys (
        caller_key_id   TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        fingerprint     TEXT NOT NULL,
        outcome         TEXT NOT NULL,
        created_at      INTEGER NOT NULL,
        PRIMARY KEY (caller_key_id, idempotency_key)
      ) STRICT;
      CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
    `,
  },
  {
    version: 7,
    description: "issue #12: a generation of the API keys' authority, for the authentication cache",
    // The API caches keys it has looked up (api/db/api-keys.ts, KeyCache) and trusts the cache only while this number
    // is the one it read: any change to what a key may do (revoked, expired, its role or owner, or the key removed),
    // by any connection of any process (a second API, npm run admin), bumps it in the same transaction. A key's
    // last use (last_used_at, written once a minute) is left out: it changes nothing a request may do. A column added
    // to api_keys later must be added to this list (test/unit/key-cache.test.ts checks that none is missing).
    sql: `
      CREATE TABLE api_key_generation (
        generation INTEGER NOT NULL
      ) STRICT;
      INSERT INTO api_key_generation (generation) VALUES (0);
      CREATE TRIGGER api_keys_changed AFTER UPDATE OF
          id, name, role, account_id, enterprise_id, key_hash, created_at, created_by_key_id, expires_at, revoked_at, revoked_by
        ON api_keys
        BEGIN UPDATE api_key_generation SET generation = generation + 1; END;
      CREATE TRIGGER api_keys_removed AFTER DELETE ON api_keys
        BEGIN UPDATE api_key_generation SET generation = generation + 1; END;
    `,
  },
];

/** Applies every migration newer than the database; refuses a database written by a newer version. */
export function applyMigrations(db: Database.Database): { from: number; to: number } {
  const current = db.pragma("user_version", { simple: true }) as number;
  const latest = MIGRATIONS.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(`the database schema (version ${current}) is newer than this program knows (version ${latest})`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return { from: current, to: latest };
}
