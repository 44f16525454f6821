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

export function createLogger(module = "provider", write: (line: string) => void = (l) => process.stderr.write(l)): Logger {
  const log = (level: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    try {
      write(hclogLine(level, message, module, fields));
    } catch {
      // A closed stderr must never take the provider down.
    }
  };
  return { trace: log("trace"), debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") };
}
