// Entry point: `npm start` / `tsx api/main.ts [--listen HOST:PORT] [--db FILE] [--admin-token KEY]`.
// Prints exactly one line "iamsession API listening on http://HOST:PORT" to stdout once it accepts connections.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type Database from "better-sqlite3";
import { createApp } from "./app.ts";
import { ensurePlatformAdmin } from "./bootstrap.ts";
import { ConfigError, loadConfig, USAGE } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { Store } from "./db/store.ts";
import { FailureThrottle } from "./throttle.ts";
import { remote, startWriterThread, type Writer } from "./db/writer.ts";

function fail(message: string): never {
  process.stderr.write(`iamsession: ${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (err) {
  if (err instanceof ConfigError) fail(`${err.message}\n${USAGE}`);
  throw err;
} finally {
  // Read once: nothing this process starts later (or prints, or dumps) can see it.
  delete process.env.IAMSESSION_ADMIN_TOKEN;
}
if (config === "help") {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

let db: Database.Database;
try {
  db = openDatabase(config.dbPath);
} catch (err) {
  fail(`cannot open the database ${config.dbPath}: ${err instanceof Error ? err.message : String(err)}`);
}
const store = new Store(db);

const boot = ensurePlatformAdmin(store, config.adminToken);
switch (boot.kind) {
  case "generated":
    process.stdout.write(
      [
        "No platform administrator yet: created one.",
        `Its API key (id ${boot.record.id}) is shown only this once; store it now:`,
        "",
        `    ${boot.key}`,
        "",
        "(Use it as 'Authorization: Bearer <key>'. More keys: npm run admin -- create-admin-key)",
        "",
      ].join("\n"),
    );
    break;
  case "from_token":
    process.stderr.write(`iamsession: platform administrator key ${boot.record.id} created from IAMSESSION_ADMIN_TOKEN\n`);
    break;
  case "token_unusable":
    db.close();
    fail("IAMSESSION_ADMIN_TOKEN is a key that was revoked or has expired; give a new one (nothing was changed)");
  case "existing":
    if (boot.adminTokenIgnored) {
      process.stderr.write("iamsession: IAMSESSION_ADMIN_TOKEN ignored: the database already has a platform administrator\n");
    }
    break;
}

// From here on no statement waits for another connection's lock on the event loop: writes run on the writer thread
// (waiting there, within their budget), and a read that meets a lock (rare in WAL mode) answers 503.
db.pragma("busy_timeout = 0");
let writer: Writer;
try {
  writer = await startWriterThread(config.dbPath, { budgetMs: config.writeBudgetMs }, (err) => {
    process.stderr.write(`iamsession: the writer thread failed (${err.message}); exiting\n`);
    process.exit(1);
  });
} catch (err) {
  db.close();
  fail(`cannot start the writer thread: ${err instanceof Error ? err.message : String(err)}`);
}
// Idempotency-Key records older than 24 hours are dead weight: remove them now and every hour.
const purge = () => void remote<Store>(writer).idempotency.purge().catch(() => undefined);
purge();
setInterval(purge, 60 * 60 * 1000).unref();
const app = createApp({
  store,
  writer,
  throttle: config.throttle === null ? null : new FailureThrottle(config.throttle),
  invitationTtlSeconds: config.invitationTtlSeconds,
});

const server = serve({ fetch: app.fetch, hostname: config.host, port: config.port }, (info: AddressInfo) => {
  const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
  process.stdout.write(`iamsession API listening on http://${host}:${info.port}\n`);
});
server.on("error", (err) => {
  db.close();
  fail(`cannot listen on ${config.host}:${config.port}: ${err.message}`);
});

let closing = false;
function shutdown(signal: string): void {
  if (closing) return;
  closing = true;
  process.stderr.write(`iamsession: ${signal}: shutting down\n`);
  const force = setTimeout(() => {
    process.stderr.write("iamsession: requests still open after 5s; closing anyway\n");
    db.close();
    process.exit(1);
  }, 5000);
  force.unref();
  server.close(() => {
    void writer.close().finally(() => {
      db.close();
      process.exit(0);
    });
  });
  if ("closeIdleConnections" in server) server.closeIdleConnections();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
