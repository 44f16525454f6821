// Migration 5 (issue #13) on a database written at schema version 3 (through migration 4 of issue #11): identities become users, settings and their
// history gain max_sessions_exceeded_action as NOT_SET, nothing else changes, and a member of an old account can be
// given a password and log in.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../api/db/migrations.ts";
import { hashApiKey } from "../../api/keys.ts";
import { apiRequest, getSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { cliLogin, consoleLogin, createIdentityKey, setPassword } from "../helpers/session-server.ts";

const dir = mkdtempSync(join(tmpdir(), "iamsession-migrate4-"));
let server: ApiServer | undefined;
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("migration from schema version 3", () => {
  it("keeps identities (as users), memberships, settings and history; sessions work on it", async () => {
    const dbPath = join(dir, "v3.db");
    const db = new Database(dbPath);
    for (const m of MIGRATIONS.filter((m) => m.version <= 3)) db.exec(m.sql);
    db.pragma("user_version = 3");
    const at = new Date().toISOString();
    const admin = `iams_${randomBytes(32).toString("base64url")}`;
    db.prepare("INSERT INTO api_keys (id, name, role, account_id, enterprise_id, key_hash, created_at) VALUES ('ApiKey-00000000000000aa', 'admin', 'platform_admin', NULL, NULL, ?, ?)").run(hashApiKey(admin), at);
    db.prepare("INSERT INTO accounts VALUES ('old-acct', 'Old', ?)").run(at);
    db.prepare("INSERT INTO settings VALUES ('account', 'old-acct', '3600', 'NOT_SET', '2', 2, 'salt', ?)").run(at);
    db.prepare(
      `INSERT INTO settings_history VALUES ('account', 'old-acct', 2, ?, 'ApiKey-00000000000000aa', 'admin', NULL, 'update',
        '{"session_expiration_in_seconds":"NOT_SET","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"NOT_SET"}',
        '{"session_expiration_in_seconds":"3600","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"2"}', NULL)`,
    ).run(at);
    db.prepare("INSERT INTO identities VALUES ('old-user', 'Old User', ?)").run(at);
    db.prepare("INSERT INTO account_members VALUES ('old-acct', 'old-user', ?)").run(at);
    db.close();

    server = await startApiServer({ dbPath, adminToken: admin });
    const s = await getSettings(server, "old-acct", { includeHistory: true });
    expect(s).toMatchObject({ session_expiration_in_seconds: "3600", max_sessions_per_identity: "2", max_sessions_exceeded_action: "NOT_SET" });
    expect(s.history![0]!.old.max_sessions_exceeded_action).toBe("NOT_SET");
    expect(s.history![0]!.new).toMatchObject({ max_sessions_per_identity: "2", max_sessions_exceeded_action: "NOT_SET" });

    await setPassword(server, "old-user", "an old user's new password");
    const browser = await consoleLogin(server, "old-acct", "old-user", "an old user's new password");
    expect(browser.status, browser.text).toBe(201);
    expect(browser.body.limits.session_expiration_in_seconds.value).toBe("3600");
    const { key } = await createIdentityKey(server, "old-user");
    expect((await cliLogin(server, "old-acct", key)).status).toBe(201);
    // The limit of 2 from before the migration, with the default action: the third login evicts the first.
    expect((await cliLogin(server, "old-acct", key)).status).toBe(201);
    const sessions = await apiRequest(server, "GET", "/v1/identities/old-user/sessions", { token: admin });
    expect(sessions.body.sessions.map((x: any) => x.end_reason).sort()).toEqual(["evicted_by_limit", null, null]);

    await server.stop();
    const after = new Database(dbPath, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(after.prepare("SELECT kind FROM identities WHERE iam_id = 'old-user'").get()).toEqual({ kind: "user" });
    expect(after.pragma("foreign_key_check")).toEqual([]);
    after.close();
  });
});
