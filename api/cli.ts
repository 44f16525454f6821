// Administration commands: `npm run admin -- create-admin-key [--db FILE] [--name NAME] [--key-only]`.
import { parseArgs } from "node:util";
import { resolve } from "node:path";
import { createPlatformAdminKey } from "./bootstrap.ts";
import { DEFAULT_DB } from "./config.ts";
import { openDatabase } from "./db/database.ts";
import { Store } from "./db/store.ts";
import { MAX_NAME_LENGTH } from "./schemas.ts";

const USAGE = `usage: tsx api/cli.ts create-admin-key [--db FILE] [--name NAME] [--key-only]
  Creates a platform administrator API key and prints it once.
  --db        the database file (env IAMSESSION_DB, default ${DEFAULT_DB})
  --name      the key's name (default "platform administrator (cli)")
  --key-only  print only the key (for scripts)`;

function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== "create-admin-key") {
    process.stderr.write(`unknown command "${command}"\n${USAGE}\n`);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { db: { type: "string" }, name: { type: "string" }, "key-only": { type: "boolean" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    return 2;
  }
  const name = values.name ?? "platform administrator (cli)";
  if (name.length < 1 || name.length > MAX_NAME_LENGTH) {
    process.stderr.write(`--name must be 1 to ${MAX_NAME_LENGTH} characters\n`);
    return 2;
  }
  const dbPath = resolve(values.db ?? process.env.IAMSESSION_DB ?? DEFAULT_DB);
  const db = openDatabase(dbPath);
  try {
    const { record, key } = createPlatformAdminKey(new Store(db), name);
    if (values["key-only"]) {
      process.stdout.write(`${key}\n`);
    } else {
      process.stdout.write(
        `Created platform administrator key ${record.id} ("${record.name}") in ${dbPath}.\n` +
          `The key is shown only this once; store it now:\n\n    ${key}\n\n`,
      );
    }
  } finally {
    db.close();
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
