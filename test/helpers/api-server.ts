// Starts the real settings API (`node --import tsx api/main.ts`) on an ephemeral port with a real SQLite file, for
// the API tests and the provider's end-to-end tests. Every process started here is killed when the test process
// exits, even if a test forgets to stop it.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { IamsessionClient } from "../../client/index.ts";
import { ACCOUNT, ENTERPRISE, ownerPath, type OwnerDefinition } from "../../schemas/owners.ts";
import type {
  AccountEffectiveSettings,
  AccountSettingsBody,
  HistoryEntry,
  EnterpriseSettingsBody,
  IdentityEffectiveSettings,
  TrustedProfile,
} from "../../schemas/wire.ts";

export type { AccountEffectiveSettings, EffectiveSettings, EffectiveValue, IdentityEffectiveSettings, TrustedProfile } from "../../schemas/wire.ts";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

export type Role = "viewer" | "editor" | "administrator" | "owner";
export const ROLES: readonly Role[] = ["viewer", "editor", "administrator", "owner"];

export interface StartApiServerOptions {
  /** The database file; default: `iamsession.db` in a fresh temporary directory (removed by dispose()). */
  dbPath?: string;
  /** Sets IAMSESSION_ADMIN_TOKEN; default: a fresh random key. */
  adminToken?: string;
  /** Extra environment for the server process. */
  env?: Record<string, string>;
  /** How long to wait for the "listening" line; default 30 s. */
  startTimeoutMs?: number;
  /** Options for Node itself, before the script (e.g. `--cpu-prof`, which NODE_OPTIONS may not carry). */
  nodeArgs?: string[];
  /** The checkout whose api/main.ts runs (another version, to compare in one benchmark run); default this one. */
  root?: string;
}

export interface ApiServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 (may change after restart()). */
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  readonly dbPath: string;
  /** The process id of the running server, or undefined when stopped. */
  readonly pid: number | undefined;
  /** Everything the server wrote so far (all runs). */
  stdout(): string;
  stderr(): string;
  /** SIGTERM and wait for exit (SIGKILL after 5 s). Safe to call when stopped. */
  stop(): Promise<void>;
  /** SIGKILL (a crash) and wait for exit. */
  kill9(): Promise<void>;
  /** Stops if running, then starts again on the same database; keeps the port when it can. */
  restart(): Promise<void>;
  /** stop() and remove the temporary directory, if the helper created it. */
  dispose(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

const LISTENING = /^iamsession API listening on (http:\/\/\S+?):(\d+)$/m;

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  url: string;
  port: number;
}

function launch(listen: string, dbPath: string, adminToken: string, opts: StartApiServerOptions, out: { stdout: string; stderr: string }): Promise<Running> {
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", "api/main.ts", "--listen", listen, "--db", dbPath], {
    cwd: opts.root ?? REPO_ROOT,
    // Tests send many wrong keys on purpose (authorisation matrices): the throttle is generous unless a test sets it
    // (test/api/throttle.test.ts checks the default).
    env: { ...process.env, IAMSESSION_AUTH_THROTTLE: "1000000/1", ...opts.env, IAMSESSION_ADMIN_TOKEN: adminToken },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      live.delete(child);
      resolve();
    });
  });
  let runStdout = "";
  child.stdout!.setEncoding("utf8");
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (d: string) => (out.stderr += d));
  return new Promise<Running>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`API server did not start within ${opts.startTimeoutMs ?? 30_000} ms\nstdout:\n${runStdout}\nstderr:\n${out.stderr}`));
    }, opts.startTimeoutMs ?? 30_000);
    child.stdout!.on("data", (d: string) => {
      out.stdout += d;
      runStdout += d;
      const m = LISTENING.exec(runStdout);
      if (m) {
        clearTimeout(timer);
        resolve({ child, exited, url: `${m[1]}:${m[2]}`, port: Number(m[2]) });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`API server exited before listening (code ${code}, signal ${signal})\nstderr:\n${out.stderr}`));
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

async function terminate(run: Running, signal: NodeJS.Signals): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill(signal);
  const timer = setTimeout(() => run.child.kill("SIGKILL"), 5000);
  await run.exited;
  clearTimeout(timer);
}

/** Starts the API and resolves once it listens. */
export async function startApiServer(opts: StartApiServerOptions = {}): Promise<ApiServer> {
  let tmpDir: string | undefined;
  let dbPath = opts.dbPath;
  if (!dbPath) {
    tmpDir = mkdtempSync(join(tmpdir(), "iamsession-api-"));
    dbPath = join(tmpDir, "iamsession.db");
  }
  const adminToken = opts.adminToken ?? `iams_${randomBytes(32).toString("base64url")}`;
  const out = { stdout: "", stderr: "" };
  let run: Running | undefined;
  try {
    run = await launch("127.0.0.1:0", dbPath, adminToken, opts, out);
  } catch (err) {
    // No server for the caller to dispose of: its temporary directory goes here.
    if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    throw err;
  }
  let last = run;

  const server: ApiServer = {
    get url() {
      return last.url;
    },
    get port() {
      return last.port;
    },
    adminToken,
    dbPath,
    get pid() {
      return run?.child.pid;
    },
    stdout: () => out.stdout,
    stderr: () => out.stderr,
    async stop() {
      if (run) await terminate(run, "SIGTERM");
      run = undefined;
    },
    async kill9() {
      if (run) await terminate(run, "SIGKILL");
      run = undefined;
    },
    async restart() {
      await server.stop();
      try {
        run = await launch(`127.0.0.1:${last.port}`, dbPath, adminToken, opts, out);
      } catch {
        run = await launch("127.0.0.1:0", dbPath, adminToken, opts, out);
      }
      last = run;
    },
    async dispose() {
      await server.stop();
      if (tmpDir) rmSync(tmpDir, { recursive: true, force: true });
    },
  };
  return server;
}

/** Stops every server this process started (for a global teardown). */
export async function stopAllApiServers(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

// --- requests ---------------------------------------------------------------------------------------------------

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined when the body is not JSON. */
  body: T;
  text: string;
}

export interface RequestOptions {
  /** Bearer token; default none. */
  token?: string;
  /** A JSON value, sent with Content-Type: application/json (unless `headers` sets another). */
  json?: unknown;
  /** A raw body, sent as is (set the content type in `headers`). */
  rawBody?: string | Uint8Array;
  headers?: Record<string, string>;
}

type Target = ApiServer | string;
const baseOf = (t: Target) => (typeof t === "string" ? t.replace(/\/$/, "") : t.url);

export async function apiRequest<T = any>(target: Target, method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = {};
  let body: string | Uint8Array | undefined;
  if (opts.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(opts.json);
  }
  if (opts.rawBody !== undefined) body = opts.rawBody;
  if (opts.token !== undefined) headers.authorization = `Bearer ${opts.token}`;
  Object.assign(headers, opts.headers);
  const res = await fetch(`${baseOf(target)}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

function expectStatus(res: ApiResponse, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: expected ${status}, got ${res.status}: ${res.text}`);
}

export const expectStatusOf = expectStatus;

/** The error format of every 4xx/5xx answer. */
export interface ApiErrorBody {
  errors: Array<{ code: string; message: string; target?: { type: "field" | "header" | "parameter" | "body"; name: string } }>;
  status_code: number;
  trace: string;
}

export interface Account {
  account_id: string;
  name: string;
  created_at: string;
}

export interface CreatedKey {
  id: string;
  name: string;
  role: Role;
  account_id: string;
  key: string;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
}

export type IdentitySettings = AccountSettingsBody;

// --- owners (accounts and enterprises): one helper per operation, for either kind --------------------------------

/** Creates an owner as the platform administrator (a random id with `prefix` unless given). */
async function createOwner<T>(server: ApiServer, owner: OwnerDefinition, prefix: string, id: string | undefined, name: string | undefined): Promise<T> {
  const ownerId = id ?? `${prefix}-${randomBytes(6).toString("hex")}`;
  const res = await apiRequest<T>(server, "POST", `/v1/${owner.segment}`, {
    token: server.adminToken,
    json: { [owner.idField]: ownerId, name: name ?? `test ${owner.noun} ${ownerId}` },
  });
  expectStatus(res, 201, `create ${owner.noun}`);
  return res.body;
}

/** Creates a key of `role` for an owner (as the platform administrator unless `token` is given). */
async function createOwnerKey<T>(server: ApiServer, owner: OwnerDefinition, ownerId: string, role: Role, opts: { name?: string; token?: string }, what: string): Promise<T> {
  const res = await apiRequest<T>(server, "POST", `${ownerPath(owner.kind, ownerId)}/api_keys`, {
    token: opts.token ?? server.adminToken,
    json: { role, ...(opts.name ? { name: opts.name } : {}) },
  });
  expectStatus(res, 201, what);
  return res.body;
}

/** One key per role for an owner: `keys.viewer`, `keys.owner`, … */
async function keysPerRole(create: (role: Role) => Promise<{ key: string }>): Promise<Record<Role, string>> {
  const entries = await Promise.all(ROLES.map(async (role) => [role, (await create(role)).key] as const));
  return Object.fromEntries(entries) as Record<Role, string>;
}

function ownerSettingsPath(owner: OwnerDefinition, ownerId: string, includeHistory: boolean): string {
  return `${ownerPath(owner.kind, ownerId)}/settings/identity${includeHistory ? "?include_history=true" : ""}`;
}

/** GET an owner's settings through the API client (as the platform administrator unless `token` is given). */
function getOwnerSettings<T>(server: ApiServer, owner: OwnerDefinition, ownerId: string, opts: { token?: string; includeHistory?: boolean }): Promise<T> {
  return apiClient(server, opts.token).getSettings(owner.kind, ownerId, opts.includeHistory) as Promise<T>;
}

/** PUT an owner's settings with If-Match (default "*"; null sends none); returns the response whatever its status. */
function putOwnerSettings<T>(server: ApiServer, owner: OwnerDefinition, ownerId: string, values: unknown, opts: { token?: string; ifMatch?: string | null }): Promise<ApiResponse<T>> {
  const ifMatch = opts.ifMatch === undefined ? "*" : opts.ifMatch;
  return apiRequest<T>(server, "PUT", ownerSettingsPath(owner, ownerId, false), {
    token: opts.token ?? server.adminToken,
    json: values,
    headers: ifMatch === null ? {} : { "if-match": ifMatch },
  });
}

/**
 * The typed API client (client/) for a server, as a token (the platform administrator unless given). No retries:
 * a test sees the first answer.
 */
export function apiClient(server: ApiServer, token?: string): IamsessionClient {
  return new IamsessionClient({ endpoint: server.url, token: token ?? server.adminToken, timeoutMs: 30_000, maxRetries: 0, userAgent: "iamsession-tests" });
}

/** Creates an account as the platform administrator (a random id unless given). */
export function createAccount(server: ApiServer, opts: { accountId?: string; name?: string } = {}): Promise<Account> {
  return createOwner<Account>(server, ACCOUNT, "acct", opts.accountId, opts.name);
}

/** Creates a key of `role` for an account (as the platform administrator unless `token` is given). */
export function createApiKey(server: ApiServer, accountId: string, role: Role, opts: { name?: string; token?: string } = {}): Promise<CreatedKey> {
  return createOwnerKey<CreatedKey>(server, ACCOUNT, accountId, role, opts, `create ${role} key`);
}

/** A new account and one key per role: `keys.viewer`, `keys.owner`, … */
export async function createAccountWithKeys(server: ApiServer, opts: { accountId?: string; name?: string } = {}): Promise<{ account: Account; keys: Record<Role, string> }> {
  const account = await createAccount(server, opts);
  return { account, keys: await keysPerRole((role) => createApiKey(server, account.account_id, role)) };
}

export function settingsPath(accountId: string, includeHistory = false): string {
  return ownerSettingsPath(ACCOUNT, accountId, includeHistory);
}

/** GET the settings (as the platform administrator unless `token` is given); throws unless 200. */
export function getSettings(server: ApiServer, accountId: string, opts: { token?: string; includeHistory?: boolean } = {}): Promise<IdentitySettings> {
  return getOwnerSettings<IdentitySettings>(server, ACCOUNT, accountId, opts);
}

/** Every history entry of an account's (or, with `kind`, an enterprise's) settings, oldest first, page by page. */
export async function historyOf(server: ApiServer, ownerId: string, opts: { token?: string; kind?: "accounts" | "enterprises"; limit?: number } = {}): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  let cursor: string | null = null;
  do {
    const q: string = `?limit=${opts.limit ?? 500}${cursor ? `&cursor=${cursor}` : ""}`;
    const res: ApiResponse<{ history: HistoryEntry[]; next_cursor: string | null }> = await apiRequest(
      server,
      "GET",
      `/v1/${opts.kind ?? "accounts"}/${encodeURIComponent(ownerId)}/settings/identity/history${q}`,
      { token: opts.token ?? server.adminToken },
    );
    expectStatus(res, 200, "get history");
    entries.push(...res.body.history);
    cursor = res.body.next_cursor;
  } while (cursor);
  return entries.reverse();
}

/**
 * PUT settings with If-Match (default "*"; null sends none); returns the response whatever its status: the body is
 * the settings on 200 and the error body otherwise (typed as both for convenience).
 */
export function putSettings(server: ApiServer, accountId: string, values: unknown, opts: { token?: string; ifMatch?: string | null } = {}): Promise<ApiResponse<IdentitySettings & ApiErrorBody>> {
  return putOwnerSettings(server, ACCOUNT, accountId, values, opts);
}

// --- the validation matrix of a setting (shared by the account, enterprise and trusted profile tests) ----------

/** Both ends of the range and NOT_SET: values every setting route must accept and store exactly. */
export function validSettingValues(def: { min: number; max: number }): string[] {
  return [String(def.min), String(def.max), "NOT_SET"];
}

/** One past each end of the range and the usual malformed values, each with a description. */
export function invalidSettingValues(def: { min: number; max: number }): Array<[string, unknown]> {
  return [
    ["one below the minimum", String(def.min - 1)],
    ["one above the maximum", String(def.max + 1)],
    ["lower-case not_set", "not_set"],
    ["a leading zero", `0${def.min}`],
    ["'0900'", "0900"],
    ["an exponent", "1e3"],
    ["a leading space", ` ${def.min}`],
    ["a trailing space", `${def.min} `],
    ["a sign", "-1"],
    ["a plus sign", `+${def.min}`],
    ["a fraction", "3.5"],
    ["the empty string", ""],
    ["a JSON number", def.min],
    ["null", null],
    ["a boolean", true],
    ["an array", [String(def.min)]],
    ["an object", { value: String(def.min) }],
    ["a huge number string", "99999999999999999999"],
  ];
}

// --- enterprises, identities, memberships, trusted profiles, effective settings ---------------------------------

export interface Enterprise {
  enterprise_id: string;
  name: string;
  created_at: string;
}

export interface CreatedEnterpriseKey {
  id: string;
  name: string;
  role: Role;
  enterprise_id: string;
  account_id: null;
  key: string;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
}

export type EnterpriseIdentitySettings = EnterpriseSettingsBody;

export interface Identity {
  iam_id: string;
  name: string;
  created_at: string;
}


const enc = encodeURIComponent;

/** Creates an enterprise as the platform administrator (a random id unless given). */
export function createEnterprise(server: ApiServer, opts: { enterpriseId?: string; name?: string } = {}): Promise<Enterprise> {
  return createOwner<Enterprise>(server, ENTERPRISE, "ent", opts.enterpriseId, opts.name);
}

/** Creates a key of `role` for an enterprise (as the platform administrator unless `token` is given). */
export function createEnterpriseKey(
  server: ApiServer,
  enterpriseId: string,
  role: Role,
  opts: { name?: string; token?: string } = {},
): Promise<CreatedEnterpriseKey> {
  return createOwnerKey<CreatedEnterpriseKey>(server, ENTERPRISE, enterpriseId, role, opts, `create enterprise ${role} key`);
}

/** A new enterprise and one key per role. */
export async function createEnterpriseWithKeys(
  server: ApiServer,
  opts: { enterpriseId?: string; name?: string } = {},
): Promise<{ enterprise: Enterprise; keys: Record<Role, string> }> {
  const enterprise = await createEnterprise(server, opts);
  return { enterprise, keys: await keysPerRole((role) => createEnterpriseKey(server, enterprise.enterprise_id, role)) };
}

export function accountEnterprisePath(accountId: string): string {
  return `/v1/accounts/${enc(accountId)}/enterprise`;
}

/** Links an account to an enterprise (as the platform administrator unless `token` is given); throws unless 200. */
export async function linkAccount(server: ApiServer, accountId: string, enterpriseId: string, opts: { token?: string } = {}): Promise<void> {
  const res = await apiRequest(server, "PUT", accountEnterprisePath(accountId), {
    token: opts.token ?? server.adminToken,
    json: { enterprise_id: enterpriseId },
  });
  expectStatus(res, 200, "link account");
}

/** Removes an account from its enterprise; throws unless 204. */
export async function unlinkAccount(server: ApiServer, accountId: string, opts: { token?: string } = {}): Promise<void> {
  const res = await apiRequest(server, "DELETE", accountEnterprisePath(accountId), { token: opts.token ?? server.adminToken });
  expectStatus(res, 204, "unlink account");
}

/** Creates an identity as the platform administrator (a random iam_id unless given). */
export async function createIdentity(server: ApiServer, opts: { iamId?: string; name?: string; kind?: "user" | "service_id" } = {}): Promise<Identity> {
  const iamId = opts.iamId ?? `IBMid-${randomBytes(8).toString("hex")}`;
  const res = await apiRequest<Identity>(server, "POST", "/v1/identities", {
    token: server.adminToken,
    json: { iam_id: iamId, name: opts.name ?? `test identity ${iamId}`, ...(opts.kind ? { kind: opts.kind } : {}) },
  });
  expectStatus(res, 201, "create identity");
  return res.body;
}

export function memberPath(accountId: string, iamId: string): string {
  return `/v1/accounts/${enc(accountId)}/members/${enc(iamId)}`;
}

/** Makes an identity a member of an account; throws unless 200. */
export async function addMember(server: ApiServer, accountId: string, iamId: string, opts: { token?: string; role?: Role } = {}): Promise<void> {
  const res = await apiRequest(server, "PUT", memberPath(accountId, iamId), { token: opts.token ?? server.adminToken, ...(opts.role ? { json: { role: opts.role } } : {}) });
  expectStatus(res, 200, "add member");
}

/** Removes an identity from an account; throws unless 204. */
export async function removeMember(server: ApiServer, accountId: string, iamId: string, opts: { token?: string } = {}): Promise<void> {
  const res = await apiRequest(server, "DELETE", memberPath(accountId, iamId), { token: opts.token ?? server.adminToken });
  expectStatus(res, 204, "remove member");
}

export function enterpriseSettingsPath(enterpriseId: string, includeHistory = false): string {
  return ownerSettingsPath(ENTERPRISE, enterpriseId, includeHistory);
}

/** GET an enterprise's settings (as the platform administrator unless `token` is given); throws unless 200. */
export function getEnterpriseSettings(
  server: ApiServer,
  enterpriseId: string,
  opts: { token?: string; includeHistory?: boolean } = {},
): Promise<EnterpriseIdentitySettings> {
  return getOwnerSettings<EnterpriseIdentitySettings>(server, ENTERPRISE, enterpriseId, opts);
}

/** PUT an enterprise's settings with If-Match (default "*"; null sends none); returns the response whatever its status. */
export function putEnterpriseSettings(
  server: ApiServer,
  enterpriseId: string,
  values: unknown,
  opts: { token?: string; ifMatch?: string | null } = {},
): Promise<ApiResponse<EnterpriseIdentitySettings & ApiErrorBody>> {
  return putOwnerSettings(server, ENTERPRISE, enterpriseId, values, opts);
}

export function trustedProfilesPath(accountId: string, profileId?: string): string {
  return `/v1/accounts/${enc(accountId)}/trusted_profiles${profileId === undefined ? "" : `/${enc(profileId)}`}`;
}

/** Creates a trusted profile (as the platform administrator unless `token` is given); throws unless 201. */
export async function createTrustedProfile(
  server: ApiServer,
  accountId: string,
  body: { name?: string; session_duration_in_seconds?: string } = {},
  opts: { token?: string } = {},
): Promise<TrustedProfile> {
  const res = await apiRequest<TrustedProfile>(server, "POST", trustedProfilesPath(accountId), {
    token: opts.token ?? server.adminToken,
    json: { name: body.name ?? "test profile", ...(body.session_duration_in_seconds !== undefined ? { session_duration_in_seconds: body.session_duration_in_seconds } : {}) },
  });
  expectStatus(res, 201, "create trusted profile");
  return res.body;
}

export function accountEffectiveSettingsPath(accountId: string): string {
  return `/v1/accounts/${enc(accountId)}/effective_settings/identity`;
}

export function identityEffectiveSettingsPath(iamId: string): string {
  return `/v1/identities/${enc(iamId)}/effective_settings/identity`;
}

/** GET an account's effective settings through the API client (as the platform administrator unless `token` is given). */
export function getAccountEffectiveSettings(server: ApiServer, accountId: string, opts: { token?: string } = {}): Promise<AccountEffectiveSettings> {
  return apiClient(server, opts.token).getAccountEffectiveSettings(accountId);
}

/** GET an identity's effective settings through the API client (as the platform administrator unless `token` is given). */
export function getIdentityEffectiveSettings(server: ApiServer, iamId: string, opts: { token?: string } = {}): Promise<IdentityEffectiveSettings> {
  return apiClient(server, opts.token).getIdentityEffectiveSettings(iamId);
}
