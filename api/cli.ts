// Administration commands on the database file (no server needed):
//   npm run admin -- create-admin-key    [--db FILE] [--name NAME] [--key-only]
//   npm run admin -- list-admin-keys     [--db FILE] [--json]
//   npm run admin -- revoke-admin-key ID [--db FILE]
// Names are stored text: printed escaped (schemas/text.ts), so a key name cannot forge lines of the output.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { checkText, escapeText } from "../schemas/text.ts";
import { createPlatformAdminKey } from "./bootstrap.ts";
import { DEFAULT_DB } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { Store } from "./db/store.ts";

const USAGE = `usage: tsx api/cli.ts COMMAND [--db FILE] ...
  create-admin-key [--name NAME] [--key-only]
                    Creates a platform administrator API key and prints it once.
                    --name      the key's name (default "platform administrator (cli)")
                    --key-only  print only the key (for scripts)
  list-admin-keys [--json]
                    Lists the platform administrator keys that are not revoked (never the secrets).
  revoke-admin-key KEY_ID
                    Revokes a platform administrator key (its next request gets 401). Unlike the API, this may
                    revoke the last one: then start the API with a new IAMSESSION_ADMIN_TOKEN or create one here.
  --db  the database file (env IAMSESSION_DB, default ${DEFAULT_DB})`;

const OPTIONS = {
  db: { type: "string" },
  name: { type: "string" },
  "key-only": { type: "boolean" },
  json: { type: "boolean" },
} as const;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (!["create-admin-key", "list-admin-keys", "revoke-admin-key"].includes(command)) {
    process.stderr.write(`unknown command "${escapeText(command)}"\n${USAGE}\n`);
    return 2;
  }
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: command === "revoke-admin-key" }));
  } catch (err) {
    process.stderr.write(`${escapeText(err instanceof Error ? err.message : String(err))}\n${USAGE}\n`);
    return 2;
  }
  if (command === "revoke-admin-key" && positionals.length !== 1) {
    process.stderr.write(`revoke-admin-key needs exactly one key id (see list-admin-keys)\n${USAGE}\n`);
    return 2;
  }
  const name = values.name ?? "platform administrator (cli)";
  const nameProblem = checkText("--name", name);
  if (nameProblem) {
    process.stderr.write(`${nameProblem}\n`);
    return 2;
  }
  const dbPath = resolve(values.db ?? process.env.IAMSESSION_DB ?? DEFAULT_DB);
  let db;
  try {
    db = openDatabase(dbPath);
  } catch (err) {
    process.stderr.write(`cannot open the database ${escapeText(dbPath)}: ${escapeText(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
  try {
    const store = new Store(db);
    switch (command) {
      case "create-admin-key": {
        const { record, key } = createPlatformAdminKey(store, name);
        process.stdout.write(
          values["key-only"]
            ? `${key}\n`
            : `Created platform administrator key ${record.id} ("${escapeText(record.name)}") in ${escapeText(dbPath)}.\n` +
                `The key is shown only this once; store it now:\n\n    ${key}\n\n`,
        );
        return 0;
      }
      case "list-admin-keys": {
        const keys = store.keys.list({ platform: true });
        if (values.json) {
          process.stdout.write(`${JSON.stringify({ api_keys: keys }, null, 2)}\n`);
          return 0;
        }
        for (const k of keys) {
          process.stdout.write(
            `${k.id}  "${escapeText(k.name)}"  created ${k.created_at}  last used ${k.last_used_at ?? "never"}` +
              `${k.expires_at ? `  expires ${k.expires_at}` : ""}\n`,
          );
        }
        if (keys.length === 0) process.stdout.write("No active platform administrator key.\n");
        return 0;
      }
      default: {
        const keyId = positionals[0]!;
        if (store.keys.revoke({ platform: true }, keyId, null) === "not_found") {
          process.stderr.write(`no active platform administrator key "${escapeText(keyId)}" in ${escapeText(dbPath)}\n`);
          return 1;
        }
        process.stdout.write(`Revoked platform administrator key ${escapeText(keyId)}.\n`);
        return 0;
      }
    }
  } finally {
    db.close();
  }
}

process.exitCode = main(process.argv.slice(2));
