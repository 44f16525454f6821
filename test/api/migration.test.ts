// Migrations on databases written by earlier versions. Migration 2 (issue #6): keys, accounts, settings and history
// survive the rebuild of api_keys, and the new routes work on it. Migration 3: history gains the changing key's
// enterprise (null in entries written before it).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../api/db/migrations.ts";
import { hashApiKey } from "../../api/keys.ts";
import {
  createEnterprise,
  getEnterpriseSettings,
  getSettings,
  linkAccount,
  putEnterpriseSettings,
  startApiServer,
  getAccountEffectiveSettings,
  type ApiServer,
} from "../helpers/api-server.ts";

const dir = mkdtempSync(join(tmpdir(), "iamsession-migrate-"));
let server: ApiServer | undefined;
let server3: ApiServer | undefined;
afterAll(async () => {
  await server?.dispose();
  await server3?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("migration from schema version 1", () => {
  it("keeps accounts, keys, settings and history, and the new routes work", async () => {
    const dbPath = join(dir, "v1.db");
    const db = new Database(dbPath);
    db.exec(MIGRATIONS[0]!.sql);
    db.pragma("user_version = 1");
    const at = new Date().toISOString();
    const viewerKey = "iams_v1viewerkeyv1viewerkeyv1viewerkeyv1viewerk";
    db.prepare("INSERT INTO accounts VALUES ('old-acct', 'Old', ?)").run(at);
    db.prepare("INSERT INTO api_keys VALUES ('ApiKey-00000000000000aa', 'old viewer', 'viewer', 'old-acct', ?, ?)").run(hashApiKey(viewerKey), at);
    db.prepare("INSERT INTO settings VALUES ('account', 'old-acct', '3600', 'NOT_SET', '4', 2, 'salt', ?)").run(at);
    db.prepare(
      `INSERT INTO settings_history VALUES ('account', 'old-acct', 2, ?, 'ApiKey-00000000000000aa', 'old viewer', 'old-acct', 'update',
        '{"session_expiration_in_seconds":"NOT_SET","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"NOT_SET"}',
        '{"session_expiration_in_seconds":"3600","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"4"}')`,
    ).run(at);
    db.close();

    server = await startApiServer({ dbPath });
    const s = await getSettings(server, "old-acct", { token: viewerKey, includeHistory: true });
    expect(s).toMatchObject({ session_expiration_in_seconds: "3600", max_sessions_per_identity: "4" });
    expect(s.history).toHaveLength(1);
    expect(s.history![0]!.changed_by).toEqual({ key_id: "ApiKey-00000000000000aa", iam_id: "ApiKey-00000000000000aa", key_name: "old viewer", account_id: "old-acct", enterprise_id: null });

    const { enterprise_id } = await createEnterprise(server);
    expect((await putEnterpriseSettings(server, enterprise_id, { max_sessions_per_identity: "2" })).status).toBe(200);
    await linkAccount(server, "old-acct", enterprise_id);
    const eff = await getAccountEffectiveSettings(server, "old-acct", { token: viewerKey });
    expect(eff.max_sessions_per_identity).toEqual({ value: "2", source: "enterprise", source_id: enterprise_id, account_id: "old-acct" });

    await server.stop();
    const after = new Database(dbPath, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(after.pragma("foreign_key_check")).toEqual([]);
    after.close();
  });
});

describe("migration from schema version 2", () => {
  it("adds changed_by_enterprise_id to settings_history, filled in for old entries from the key that made them", async () => {
    const dbPath = join(dir, "v2.db");
    const db = new Database(dbPath);
    for (const m of MIGRATIONS.filter((m) => m.version <= 2)) db.exec(m.sql);
    db.pragma("user_version = 2");
    const at = new Date().toISOString();
    const entKey = "iams_v2enterprisekeyv2enterprisekeyv2enterprise";
    db.prepare("INSERT INTO enterprises VALUES ('old-ent', 'Old', ?)").run(at);
    db.prepare(
      "INSERT INTO api_keys (id, name, role, account_id, enterprise_id, key_hash, created_at) VALUES ('ApiKey-00000000000000bb', 'ent editor', 'editor', NULL, 'old-ent', ?, ?)",
    ).run(hashApiKey(entKey), at);
    db.prepare("INSERT INTO settings VALUES ('enterprise', 'old-ent', 'NOT_SET', 'NOT_SET', '4', 2, 'salt', ?)").run(at);
    db.prepare(
      `INSERT INTO settings_history VALUES ('enterprise', 'old-ent', 2, ?, 'ApiKey-00000000000000bb', 'ent editor', NULL, 'update',
        '{"session_expiration_in_seconds":"NOT_SET","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"NOT_SET"}',
        '{"session_expiration_in_seconds":"NOT_SET","session_invalidation_in_seconds":"NOT_SET","max_sessions_per_identity":"4"}')`,
    ).run(at);
    db.close();

    server3 = await startApiServer({ dbPath });
    expect((await putEnterpriseSettings(server3, "old-ent", { max_sessions_per_identity: "5" }, { token: entKey })).status).toBe(200);
    const s = await getEnterpriseSettings(server3, "old-ent", { token: entKey, includeHistory: true });
    expect(s.history!.map((h) => h.changed_by)).toEqual([
      { key_id: "ApiKey-00000000000000bb", iam_id: "ApiKey-00000000000000bb", key_name: "ent editor", account_id: null, enterprise_id: "old-ent" },
      { key_id: "ApiKey-00000000000000bb", iam_id: "ApiKey-00000000000000bb", key_name: "ent editor", account_id: null, enterprise_id: "old-ent" },
    ]);

    await server3.stop();
    const after = new Database(dbPath, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    const column = (after.pragma("table_info(settings_history)") as Array<{ name: string; type: string; notnull: number }>).find(
      (c) => c.name === "changed_by_enterprise_id",
    );
    expect(column).toMatchObject({ type: "TEXT", notnull: 0 });
    after.close();
  });
});

describe("migration from schema version 3 (issue #11)", () => {
  it("keeps memberships as accepted viewers, keys keep working (no expiry, created_by unknown)", async () => {
    const dbPath = join(dir, "v3.db");
    const db = new Database(dbPath);
    for (const m of MIGRATIONS.filter((m) => m.version <= 3)) db.exec(m.sql);
    db.pragma("user_version = 3");
    const at = new Date().toISOString();
    const ownerKey = "iams_v3ownerkeyv3ownerkeyv3ownerkeyv3ownerkeyv3o";
    db.prepare("INSERT INTO accounts VALUES ('acct-v3', 'Old', ?)").run(at);
    db.prepare("INSERT INTO settings VALUES ('account', 'acct-v3', 'NOT_SET', '900', 'NOT_SET', 1, 'salt', ?)").run(at);
    db.prepare("INSERT INTO identities VALUES ('user-v3', 'Old user', ?)").run(at);
    db.prepare("INSERT INTO account_members VALUES ('acct-v3', 'user-v3', ?)").run(at);
    db.prepare(
      "INSERT INTO api_keys (id, name, role, account_id, enterprise_id, key_hash, created_at) VALUES ('ApiKey-00000000000000cc', 'old owner', 'owner', 'acct-v3', NULL, ?, ?)",
    ).run(hashApiKey(ownerKey), at);
    db.close();

    const s4 = await startApiServer({ dbPath });
    try {
      const { apiRequest } = await import("../helpers/api-server.ts");
      const members = await apiRequest(s4, "GET", "/v1/accounts/acct-v3/members", { token: ownerKey });
      expect(members.body).toEqual({ members: [{ iam_id: "user-v3", name: "Old user", role: "viewer" }], next_cursor: null });
      const eff = await apiRequest(s4, "GET", "/v1/identities/user-v3/effective_settings/identity", { token: ownerKey });
      expect(eff.body.accounts).toEqual(["acct-v3"]);
      expect(eff.body.session_invalidation_in_seconds.value).toBe("900");
      const keys = await apiRequest(s4, "GET", "/v1/accounts/acct-v3/api_keys", { token: ownerKey });
      expect(keys.body.api_keys).toEqual([
        expect.objectContaining({ id: "ApiKey-00000000000000cc", created_by: null, expires_at: null, last_used_at: expect.any(String) }),
      ]);
    } finally {
      await s4.dispose();
    }
    const after = new Database(dbPath, { readonly: true });
    expect(after.pragma("foreign_key_check")).toEqual([]);
    after.close();
  });
});
