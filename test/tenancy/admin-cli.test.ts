// `npm run admin` lists and revokes platform administrator keys (issue #11), against the running server's database
// file: a revoked key gets 401 on its next request; names are printed escaped.
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRequest, REPO_ROOT, startApiServer, type ApiServer } from "../helpers/api-server.ts";

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

function admin(...args: string[]) {
  return spawnSync(process.execPath, ["--import", "tsx", "api/cli.ts", ...args, "--db", server.dbPath], { cwd: REPO_ROOT, encoding: "utf8" });
}

describe("npm run admin", () => {
  it("create-admin-key, list-admin-keys (never the secret), revoke-admin-key -> 401 on the next request", async () => {
    const created = admin("create-admin-key", "--name", "rotation 2026", "--key-only");
    expect(created.status, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect((await apiRequest(server, "GET", "/v1/platform/api_keys", { token: key })).status).toBe(200);

    const listed = admin("list-admin-keys", "--json");
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(server.adminToken);
    const keys = JSON.parse(listed.stdout).api_keys as Array<{ id: string; name: string; last_used_at: string | null }>;
    expect(keys.map((k) => k.name)).toEqual(["platform administrator (IAMSESSION_ADMIN_TOKEN)", "rotation 2026"]);
    const rotated = keys.find((k) => k.name === "rotation 2026")!;
    expect(rotated.last_used_at).not.toBeNull();
    const text = admin("list-admin-keys");
    expect(text.stdout).toContain(`${rotated.id}  "rotation 2026"`);

    const revoked = admin("revoke-admin-key", rotated.id);
    expect(revoked.status, revoked.stderr).toBe(0);
    const next = await apiRequest(server, "GET", "/v1/platform/api_keys", { token: key });
    expect(next.status).toBe(401);
    expect(next.body.errors[0].code).toBe("revoked_token");
    expect(admin("revoke-admin-key", rotated.id).status).toBe(1);
    expect(admin("revoke-admin-key").status).toBe(2);
  });

  it("refuses a hostile --name, and escapes what it prints", () => {
    const out = admin("create-admin-key", "--name", "ok\u202eevil");
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/--name: must not contain bidirectional/);
    const unknown = admin("no\u001b[2Jsuch");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("no\\u{1b}[2Jsuch");
  });
});
