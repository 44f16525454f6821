// Token hygiene (issue #11): a weak IAMSESSION_ADMIN_TOKEN stops start-up and changes nothing; the variable leaves
// the environment once read; failed authentication is throttled per address (429 + Retry-After) while a valid key
// keeps working; every answer is nosniff and no-store.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkAdminToken } from "../../api/config.ts";
import { FailureThrottle } from "../../api/throttle.ts";
import { apiRequest, createAccount, createApiKey, REPO_ROOT, startApiServer, type ApiServer } from "../helpers/api-server.ts";

const dir = mkdtempSync(join(tmpdir(), "iamsession-hygiene-"));
const servers: ApiServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function startMain(dbPath: string, env: Record<string, string>) {
  return spawnSync(process.execPath, ["--import", "tsx", "api/main.ts", "--listen", "127.0.0.1:0", "--db", dbPath], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    env: { ...process.env, ...env },
    timeout: 20_000,
  });
}

describe("IAMSESSION_ADMIN_TOKEN", () => {
  it.each([
    ["a single letter", "a"],
    ["a word", "password"],
    ["31 characters", "0123456789abcdef0123456789abcde"],
    ["a repeated word", "passwordpasswordpasswordpassword"],
    ["a space inside", "iams_ 0123456789abcdef0123456789abcdef0123456"],
  ])("refuses %s: start-up stops with a message, no database is created", (_what, token) => {
    const dbPath = join(dir, `weak-${Math.random().toString(16).slice(2)}.db`);
    const out = startMain(dbPath, { IAMSESSION_ADMIN_TOKEN: token });
    expect(out.status).toBe(1);
    expect(out.stderr).toMatch(/admin token/);
    expect(out.stderr).toContain("nothing was changed");
    if (token.length > 3) expect(out.stderr).not.toContain(token);
    expect(out.stdout).toBe("");
    expect(existsSync(dbPath)).toBe(false);
  });

  it("accepts generated keys and long random strings", () => {
    expect(checkAdminToken(`iams_${"A1b2C3d4E5".repeat(4)}xyz`)).toBeUndefined();
    expect(checkAdminToken("3f9a0c7e1b5d2468ace13579bdf02468ace13579bdf02468ace13579bdf0246a")).toBeUndefined();
    expect(checkAdminToken("iams_short")).toMatch(/too short/);
  });

  it("is removed from the server's environment once read (and the key works)", async () => {
    const server = await startApiServer({ env: { NODE_OPTIONS: `--import=${join(REPO_ROOT, "test/fixtures/report-admin-token-env.mjs")}` } });
    servers.push(server);
    expect(server.stderr()).toContain("ADMIN_TOKEN_IN_ENV=false");
    expect((await apiRequest(server, "GET", "/v1/platform/api_keys", { token: server.adminToken })).status).toBe(200);
  });
});

describe("failed-authentication throttle", () => {
  it("200 wrong tokens from one address: 401 up to the limit, then 429 with Retry-After; a valid key keeps working", async () => {
    // The default limit (20 failures, refilled over 60 s), as documented.
    const server = await startApiServer({ env: { IAMSESSION_AUTH_THROTTLE: "" } });
    servers.push(server);
    const { account_id } = await createAccount(server);
    const viewer = await createApiKey(server, account_id, "viewer");
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    const started = performance.now();
    for (let i = 0; i < 200; i++) {
      const wrong = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: `iams_wrong${i}` });
      statuses.push(wrong.status);
      if (wrong.status === 429) {
        retryAfter = wrong.headers.get("retry-after");
        expect(wrong.body.errors[0].code).toBe("too_many_failed_attempts");
      }
      if (i % 20 === 0) {
        const ok = await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: viewer.key });
        expect(ok.status, `valid key after ${i} wrong ones`).toBe(200);
      }
    }
    const elapsedSeconds = (performance.now() - started) / 1000;
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    // The bucket refills 20 per 60 s: at most one more 401 per 3 s that the loop took (a loaded machine is slower).
    const allowed = 20 + Math.ceil(elapsedSeconds / 3);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(allowed);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(200 - allowed);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
    // A request without any key is not a failed attempt and is told what to do (401), even now.
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`)).status).toBe(401);
    expect((await apiRequest(server, "GET", `/v1/accounts/${account_id}/settings/identity`, { token: viewer.key })).status).toBe(200);
  });

  it("is configurable (IAMSESSION_AUTH_THROTTLE=3/60) and refuses a malformed setting at start-up", async () => {
    const server = await startApiServer({ env: { IAMSESSION_AUTH_THROTTLE: "3/60" } });
    servers.push(server);
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await apiRequest(server, "GET", "/v1/platform/api_keys", { token: "nope" })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const out = startMain(join(dir, "bad-throttle.db"), { IAMSESSION_AUTH_THROTTLE: "lots", IAMSESSION_ADMIN_TOKEN: "" });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("IAMSESSION_AUTH_THROTTLE must be LIMIT/SECONDS");
  });

  it("refills over its window (the throttle on its own, with injected time)", () => {
    let now = 0;
    const t = new FailureThrottle({ limit: 2, windowSeconds: 60, now: () => now });
    expect([t.fail("a"), t.fail("a"), t.fail("a")]).toEqual([0, 0, 30]);
    expect(t.fail("b")).toBe(0); // per address
    now += 30_000;
    expect(t.retryAfter("a")).toBe(0);
    expect(t.fail("a")).toBe(0);
    expect(t.fail("a")).toBe(30);
  });
});

describe("headers", () => {
  it("nosniff on every answer, no-store on every authenticated one", async () => {
    const server = await startApiServer();
    servers.push(server);
    const answers = [
      await apiRequest(server, "GET", "/health"),
      await apiRequest(server, "GET", "/no-such-route"),
      await apiRequest(server, "GET", "/v1/platform/api_keys"),
      await apiRequest(server, "GET", "/v1/platform/api_keys", { token: "iams_wrong" }),
      await apiRequest(server, "GET", "/v1/platform/api_keys", { token: server.adminToken }),
      await apiRequest(server, "POST", "/v1/accounts", { token: server.adminToken, json: { name: "h" } }),
      await apiRequest(server, "POST", "/v1/accounts", { token: server.adminToken, json: { nope: 1 } }),
      await apiRequest(server, "GET", "/openapi.json", { token: server.adminToken }),
    ];
    for (const res of answers) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("cache-control")).toBe("no-store");
    }
  });
});

