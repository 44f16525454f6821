// Configuration: environment variables, each mirrored by a flag (a flag wins over its variable).
//   IAMSESSION_LISTEN       --listen       host:port        default 127.0.0.1:8080 (port 0: any free port)
//   IAMSESSION_DB           --db           database file    default ./data/iamsession.db
//   IAMSESSION_ADMIN_TOKEN  --admin-token  the first platform administrator key, on a database that has none
import { resolve } from "node:path";
import { parseArgs } from "node:util";

export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** Never logged. */
  adminToken: string | undefined;
}

export const DEFAULT_LISTEN = "127.0.0.1:8080";
export const DEFAULT_DB = "./data/iamsession.db";

export class ConfigError extends Error {}

export const USAGE = `usage: tsx api/main.ts [--listen HOST:PORT] [--db FILE] [--admin-token KEY]
  --listen       where to listen (env IAMSESSION_LISTEN, default ${DEFAULT_LISTEN}; port 0 picks a free port)
  --db           the SQLite database file (env IAMSESSION_DB, default ${DEFAULT_DB})
  --admin-token  on a database without a platform administrator, the administrator's key
                 (env IAMSESSION_ADMIN_TOKEN; prefer the variable: flags are visible to other local users)`;

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
  return { host, port, dbPath, adminToken: token === "" ? undefined : token };
}
