// Configuration: environment variables, each mirrored by a flag (a flag wins over its variable).
//   IAMSESSION_LISTEN       --listen       host:port        default 127.0.0.1:8080 (port 0: any free port)
//   IAMSESSION_DB           --db           database file    default ./data/iamsession.db
//   IAMSESSION_ADMIN_TOKEN  --admin-token  the first platform administrator key, on a database that has none
//   IAMSESSION_WRITE_BUDGET_MS --write-budget-ms  how long a write may wait for the database lock  default 2000
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_WRITE_BUDGET_MS } from "./db/write-queue.ts";

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** Never logged. */
  adminToken: string | undefined;
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
                 (env IAMSESSION_ADMIN_TOKEN; prefer the variable: flags are visible to other local users)
  --write-budget-ms  how long a write may wait while another connection holds the database's write lock before
                 it is answered 503 with Retry-After (env IAMSESSION_WRITE_BUDGET_MS, default ${DEFAULT_WRITE_BUDGET_MS}, 10..60000)`;

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
  if (token !== undefined && token !== "" && !/^[\x21-\x7e]+$/.test(token)) {
    throw new ConfigError("the admin token must be printable ASCII without spaces");
  }
  const budgetText = parsed.values["write-budget-ms"] ?? env.IAMSESSION_WRITE_BUDGET_MS ?? String(DEFAULT_WRITE_BUDGET_MS);
  const writeBudgetMs = /^\d{1,5}$/.test(budgetText) ? Number(budgetText) : NaN;
  if (!(writeBudgetMs >= 10 && writeBudgetMs <= 60_000)) {
    throw new ConfigError(`the write budget must be a whole number of milliseconds from 10 to 60000; got "${budgetText}"`);
  }
  return { host, port, dbPath, adminToken: token === "" ? undefined : token, writeBudgetMs };
}
