// Logs to stderr as go-hclog JSON lines, which both CLIs parse and show under TF_LOG (plain text would be passed
// through unlevelled). stdout belongs to the handshake line alone.
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

export interface Logger {
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** go-hclog's timestamp: RFC 3339 with exactly six fractional digits, UTC. */
export function hclogTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

export function hclogLine(level: LogLevel, message: string, module: string, fields?: Record<string, unknown>): string {
  const entry: Record<string, unknown> = {
    "@level": level,
    "@message": message,
    "@timestamp": hclogTimestamp(),
    "@module": module,
  };
  for (const [k, v] of Object.entries(fields ?? {})) {
    entry[k] = v instanceof Error ? v.message : typeof v === "bigint" ? String(v) : v;
  }
  return JSON.stringify(entry) + "\n";
}

const ORDER: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4 };

/**
 * The lowest level the CLI will show, from the environment it passes to its plugins (as terraform-plugin-log
 * reads it): TF_LOG_PROVIDER, else TF_LOG. Unset or "off": warnings and errors only — the CLI discards the rest,
 * and writing a line per RPC to stderr costs real time in a plan of many resources. JSON is trace; a value the
 * CLIs do not know means trace to them as well.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const value = (env.TF_LOG_PROVIDER || env.TF_LOG || "").trim().toLowerCase();
  if (value === "" || value === "off") return "warn";
  if (value in ORDER) return value as LogLevel;
  return "trace";
}

export function createLogger(
  module = "provider",
  write: (line: string) => void = (l) => process.stderr.write(l),
  minLevel: LogLevel = logLevelFromEnv(process.env),
): Logger {
  const log = (level: LogLevel) => {
    if (ORDER[level] < ORDER[minLevel]) return () => undefined;
    return (message: string, fields?: Record<string, unknown>) => {
      try {
        write(hclogLine(level, message, module, fields));
      } catch {
        // A closed stderr must never take the provider down.
      }
    };
  };
  return { trace: log("trace"), debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
