// The API in this test process, on a clock the test moves: the real app (createApp) over a real SQLite file,
// served by @hono/node-server on an ephemeral 127.0.0.1 port and called over HTTP like the spawned server. This is
// how the session tests cover 900 s of idleness without sleeping; the production entry point (api/main.ts) always
// passes the system clock and has no way to take another.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import type Database from "better-sqlite3";
import { createApp } from "../../api/app.ts";
import { ensurePlatformAdmin } from "../../api/bootstrap.ts";
import { openDatabase } from "../../api/db/database.ts";
import { localWriter } from "../../api/db/writer.ts";
import { Store } from "../../api/db/store.ts";
import type { Clock } from "../../api/sessions/clock.ts";
import { apiRequest, expectStatusOf, type ApiServer } from "./api-server.ts";

export class ManualClock implements Clock {
  #t: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#t = start;
  }
  now(): number {
    return this.#t;
  }
  advance(seconds: number): void {
    this.#t += Math.round(seconds * 1000);
  }
}

export interface InProcessServer extends ApiServer {
  clock: ManualClock;
  /** The app's access log and internal errors, one line each. */
  logLines: string[];
  db: Database.Database;
}

/** `clock`: the app's clock (default a ManualClock the test moves; the benchmark passes the system clock). */
export async function startInProcessServer(opts: { dbPath?: string; clock?: Clock } = {}): Promise<InProcessServer> {
  const tmpDir = opts.dbPath ? undefined : mkdtempSync(join(tmpdir(), "iamsession-sessions-"));
  const dbPath = opts.dbPath ?? join(tmpDir!, "iamsession.db");
  let db: Database.Database;
  try {
    db = openDatabase(dbPath);
  } catch (err) {
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
  const store = new Store(db);
  const adminToken = `iams_${randomBytes(32).toString("base64url")}`;
  ensurePlatformAdmin(store, adminToken);
  const manual = new ManualClock();
  const logLines: string[] = [];
  // The writer on this thread and connection (the server process uses a writer thread; same code, same semantics),
  // so the benchmark can count the rows the API writes.
  const writer = localWriter(store, db);
  const app = createApp({ store, writer, clock: opts.clock ?? manual, log: (l) => logLines.push(l) });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      if ("closeAllConnections" in server) (server as { closeAllConnections(): void }).closeAllConnections();
    });
    await writer.close();
    db.close();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    adminToken,
    dbPath,
    pid: undefined,
    clock: manual,
    logLines,
    db,
    stdout: () => logLines.join("\n"),
    stderr: () => "",
    stop,
    kill9: stop,
    restart: () => Promise.reject(new Error("an in-process server does not restart")),
    dispose: async () => {
      await stop();
      if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    },
  };
}

// --- session helpers (work against the spawned server too) -----------------------------------------------------

const enc = encodeURIComponent;

export async function setPassword(server: ApiServer, iamId: string, password: string): Promise<void> {
  const res = await apiRequest(server, "PUT", `/v1/identities/${enc(iamId)}/password`, { token: server.adminToken, json: { password } });
  expectStatusOf(res, 204, "set password");
}

export async function createIdentityKey(server: ApiServer, iamId: string, token = server.adminToken): Promise<{ id: string; key: string }> {
  const res = await apiRequest(server, "POST", `/v1/identities/${enc(iamId)}/api_keys`, { token, json: {} });
  expectStatusOf(res, 201, "create identity key");
  return res.body;
}

export function cliLogin(server: ApiServer, accountId: string, apiKey: string, headers: Record<string, string> = {}) {
  return apiRequest(server, "POST", "/v1/sessions", { json: { account_id: accountId, channel: "cli", api_key: apiKey }, headers });
}

export function consoleLogin(server: ApiServer, accountId: string, iamId: string, password: string) {
  return apiRequest(server, "POST", "/v1/sessions", { json: { account_id: accountId, channel: "console", iam_id: iamId, password } });
}

export function validate(server: ApiServer, token: string) {
  return apiRequest(server, "GET", "/v1/session", { token });
}

/** The cookie's value from a Set-Cookie header. */
export function cookieValue(setCookie: string | null): string {
  const m = /^__Host-iamsession=([^;]*)/.exec(setCookie ?? "");
  if (!m) throw new Error(`no session cookie in ${setCookie}`);
  return m[1]!;
}
