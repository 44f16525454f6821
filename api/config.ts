// Configuration: environment variables, each mirrored by a flag (a flag wins over its variable).
//   IAMSESSION_LISTEN       --listen       host:port        default 127.0.0.1:8080 (port 0: any free port)
//   IAMSESSION_DB           --db           database file    default ./data/iamsession.db
//   IAMSESSION_ADMIN_TOKEN  --admin-token  the first platform administrator key, on a database that has none;
//                                          must look generated (see checkAdminToken); removed from the environment
//   IAMSESSION_AUTH_THROTTLE --auth-throttle failed authentications per address: LIMIT/SECONDS (default 20/60) or off
//   IAMSESSION_INVITATION_TTL --invitation-ttl seconds an invitation may be accepted (default 604800: 7 days)
//   IAMSESSION_WRITE_BUDGET_MS --write-budget-ms  how long a write may wait for the database lock  default 2000
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_WRITE_BUDGET_MS } from "./db/write-queue.ts";
import { parseThrottle, type ThrottleOptions } from "./throttle.ts";

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** Never logged. */
  adminToken: string | undefined;
  /** null: no throttling. */
  throttle: ThrottleOptions | null;
  invitationTtlSeconds: number;
  /** How long a write may wait for another connection's lock before it is answered 503 (Retry-After). */
  writeBudgetMs: number;
}

export const DEFAULT_LISTEN = "127.0.0.1:8080";
export const DEFAULT_DB = "./data/iamsession.db";

export class ConfigError extends Error {}

export const USAGE = `usage: tsx api/main.ts [--listen HOST:PORT] [--db FILE] [--admin-token KEY] [--write-budget-ms MS]
  --listen       where to listen (env IAMSESSION_LISTEN, default ${DEFAULT_LISTEN}; port 0 picks a free port)
  --db           the SQLite database file (env IAMSESSION_DB, default ${DEFAULT_DB})
  --admin-token  on a database without a platform administrator, the administrator's key
                 (env IAMSESSION_ADMIN_TOKEN; prefer the variable: flags are visible to other local users).
                 It must look generated: an iams_ key, or 32+ characters with 16+ different ones.
  --auth-throttle  failed authentications allowed per client address, LIMIT/SECONDS, or off
                 (env IAMSESSION_AUTH_THROTTLE, default 20/60)
  --invitation-ttl  seconds an invitation may be accepted, 1 to 2592000
                 (env IAMSESSION_INVITATION_TTL, default 604800: 7 days)
  --write-budget-ms  how long a write may wait while another connection holds the database's write lock before
                 it is answered 503 with Retry-After (env IAMSESSION_WRITE_BUDGET_MS, default ${DEFAULT_WRITE_BUDGET_MS}, 10..60000)`;

/**
 * An administrator token must look like a generated key: the iams_ format (43 base64url characters after the
 * prefix), or at least 32 printable characters of which at least 16 differ (hex from `openssl rand -hex 32` passes;
 * "password" repeated does not). Undefined when acceptable, else why not. Never echoes the token.
 */
export function checkAdminToken(token: string): string | undefined {
  if (!/^[\x21-\x7e]+$/.test(token)) return "the admin token must be printable ASCII without spaces";
  if (/^iams_[A-Za-z0-9_-]{43}$/.test(token)) return undefined;
  if (token.length < 32) {
    return `the admin token is too short (${token.length} characters): use a generated key such as the one 'npm run admin -- create-admin-key --key-only' prints, or at least 32 random characters (openssl rand -hex 32)`;
  }
  if (new Set(token).size < 16) {
    return "the admin token does not look random (fewer than 16 different characters): use a generated key (openssl rand -hex 32)";
  }
  return undefined;
}

export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})$/.exec(value.trim());
  if (!m) throw new ConfigError(`listen address "${value}" is not host:port (for example 127.0.0.1:8080 or [::1]:8080)`);
  const port = Number(m[3]);
  if (port > 65535) throw new ConfigError(`port ${port} is out of range 0..65535`);
  return { host: (m[1] ?? m[2])!, port };
}

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): Config | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        listen: { type: "string" },
        db: { type: "string" },
        "admin-token": { type: "string" },
        "auth-throttle": { type: "string" },
        "invitation-ttl": { type: "string" },
        "write-budget-ms": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  if (parsed.values.help) return "help";
  const { host, port } = parseListen(parsed.values.listen ?? env.IAMSESSION_LISTEN ?? DEFAULT_LISTEN);
  const dbPath = resolve(parsed.values.db ?? env.IAMSESSION_DB ?? DEFAULT_DB);
  const token = parsed.values["admin-token"] ?? env.IAMSESSION_ADMIN_TOKEN;
  if (token !== undefined && token !== "") {
    const problem = checkAdminToken(token);
    if (problem) throw new ConfigError(`${problem}; nothing was changed`);
  }
  const budgetText = parsed.values["write-budget-ms"] ?? env.IAMSESSION_WRITE_BUDGET_MS ?? String(DEFAULT_WRITE_BUDGET_MS);
  const writeBudgetMs = /^\d{1,5}$/.test(budgetText) ? Number(budgetText) : NaN;
  if (!(writeBudgetMs >= 10 && writeBudgetMs <= 60_000)) {
    throw new ConfigError(`the write budget must be a whole number of milliseconds from 10 to 60000; got "${budgetText}"`);
  }
  let throttle;
  try {
    throttle = parseThrottle(parsed.values["auth-throttle"] ?? env.IAMSESSION_AUTH_THROTTLE);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  const ttl = parsed.values["invitation-ttl"] ?? env.IAMSESSION_INVITATION_TTL ?? "604800";
  if (!/^[1-9][0-9]{0,6}$/.test(ttl) || Number(ttl) > 2_592_000) {
    throw new ConfigError(`IAMSESSION_INVITATION_TTL must be a whole number of seconds from 1 to 2592000 (30 days); got ${JSON.stringify(ttl)}`);
  }
  return { host, port, dbPath, adminToken: token === "" ? undefined : token, throttle, invitationTtlSeconds: Number(ttl), writeBudgetMs };
}
