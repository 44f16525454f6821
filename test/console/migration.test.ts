// Migration 5 (issue #16) on a database written at schema version 4: every membership stays, as a viewer, and its
// member's session reads but may not change settings until an administrator gives it a role.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../api/db/migrations.ts";
import { hashApiKey } from "../../api/keys.ts";
import { apiRequest, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { consoleLogin, cookieValue, setPassword } from "../helpers/session-server.ts";

const dir = mkdtempSync(join(tmpdir(), "iamsession-migrate5-"));
let server: ApiServer | undefined;
afterAll(async () => {
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("migration from schema version 4", () => {
  it("keeps memberships as viewers; a role given afterwards lets the member's session edit", async () => {
    const dbPath = join(dir, "v4.db");
    const db = new Database(dbPath);
    for (const m of MIGRATIONS.filter((m) => m.version <= 4)) db.exec(m.sql);
    db.pragma("user_version = 4");
    const at = new Date().toISOString();
    const admin = "iams_v4adminkeyv4adminkeyv4adminkeyv4adminkey00";
    db.prepare("INSERT INTO api_keys (id, name, role, account_id, enterprise_id, key_hash, created_at) VALUES ('ApiKey-00000000000000aa', 'admin', 'platform_admin', NULL, NULL, ?, ?)").run(hashApiKey(admin), at);
    db.prepare("INSERT INTO accounts VALUES ('old-acct', 'Old', ?)").run(at);
    db.prepare("INSERT INTO settings (owner_kind, owner_id, session_expiration_in_seconds, session_invalidation_in_seconds, max_sessions_per_identity, version, etag_salt, updated_at) VALUES ('account', 'old-acct', 'NOT_SET', 'NOT_SET', 'NOT_SET', 1, 'salt', ?)").run(at);
    db.prepare("INSERT INTO identities (iam_id, name, created_at) VALUES ('old-user', 'Old User', ?)").run(at);
    db.prepare("INSERT INTO account_members VALUES ('old-acct', 'old-user', ?)").run(at);
    db.close();

    server = await startApiServer({ dbPath, adminToken: admin });
    const members = await apiRequest(server, "GET", "/v1/accounts/old-acct/members", { token: admin });
    expect(members.body.members).toEqual([{ iam_id: "old-user", name: "Old User", role: "viewer" }]);
    await setPassword(server, "old-user", "correct horse battery staple");
    const login = await consoleLogin(server, "old-acct", "old-user", "correct horse battery staple");
    expect(login.status, login.text).toBe(201);
    const cookie = `__Host-iamsession=${cookieValue(login.headers.get("set-cookie"))}`;
    const put = () => apiRequest(server!, "PUT", "/v1/accounts/old-acct/settings/identity", { json: { max_sessions_per_identity: "2" }, headers: { cookie, origin: server!.url, "if-match": "*" } });
    expect((await apiRequest(server, "GET", "/v1/session", { headers: { cookie } })).body.role).toBe("viewer");
    expect((await put()).status).toBe(403);
    expect((await apiRequest(server, "PUT", "/v1/accounts/old-acct/members/old-user", { token: admin, json: { role: "editor" } })).body.role).toBe("editor");
    const res = await put();
    expect(res.status, res.text).toBe(200);
    expect(res.body.max_sessions_per_identity).toBe("2");
  });
});
