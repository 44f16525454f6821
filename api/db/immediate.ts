// A write's own IMMEDIATE transaction, unless it already runs inside one. On the writer every write runs inside the
// writer's transaction (BEGIN IMMEDIATE, and a savepoint per write that undoes only a write that throws), where a
// transaction of its own would only be one more savepoint (its SAVEPOINT and RELEASE statements, and a wrapper that
// better-sqlite3 builds per call); called on its own (the admin CLI, tests), the write still gets one.
import type Database from "better-sqlite3";

export function immediate<T>(db: Database.Database, write: () => T): T {
  return db.inTransaction ? write() : db.transaction(write).immediate();
}
