// The one compare-and-set of the store: read the row, check If-Match against its entity tag, write — all in one
// IMMEDIATE transaction (or the caller's), so concurrent writers (even in other processes) serialise and a stale tag writes nothing.
import type Database from "better-sqlite3";
import { immediate } from "./immediate.ts";
import { preconditionHolds, type Precondition } from "./precondition.ts";

export type CompareAndSetResult<Row, T> =
  | { outcome: "done"; value: T }
  | { outcome: "not_found" }
  | { outcome: "precondition_failed"; current: Row };

export interface CompareAndSet<Row, T> {
  /** The current row, or undefined when it does not exist. */
  read(): Row | undefined;
  entityTag(row: Row): string;
  /** undefined: unconditional (a DELETE without If-Match). */
  precondition: Precondition | undefined;
  /** Runs only when the precondition holds, inside the same transaction. */
  write(current: Row): T;
}

export function compareAndSet<Row, T>(db: Database.Database, step: CompareAndSet<Row, T>): CompareAndSetResult<Row, T> {
  const run = (): CompareAndSetResult<Row, T> => {
    const current = step.read();
    if (current === undefined) return { outcome: "not_found" };
    if (step.precondition && !preconditionHolds(step.precondition, step.entityTag(current))) {
      return { outcome: "precondition_failed", current };
    }
    return { outcome: "done", value: step.write(current) };
  };
  return immediate(db, run);
}
