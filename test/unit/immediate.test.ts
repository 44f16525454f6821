// immediate() (api/db/immediate.ts): a write's own IMMEDIATE transaction when called on its own, none of its own on
// the writer, where the writer's savepoint per write already undoes exactly a write that throws — so a
// compare-and-set that fails half-way there leaves nothing behind, while the writes committed with it stay.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { immediate } from "../../api/db/immediate.ts";
import { WriteQueue } from "../../api/db/write-queue.ts";

function table() {
  const db = new Database(":memory:");
  db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  db.exec("INSERT INTO t VALUES ('a', 0), ('b', 0)");
  return db;
}

const value = (db: Database.Database, k: string) => (db.prepare("SELECT v FROM t WHERE k = ?").get(k) as { v: number }).v;

describe("immediate", () => {
  it("called on its own, runs in a transaction of its own and rolls back what a throwing write did", () => {
    const db = table();
    expect(immediate(db, () => db.inTransaction)).toBe(true);
    expect(db.inTransaction).toBe(false);
    expect(() =>
      immediate(db, () => {
        db.prepare("UPDATE t SET v = 1 WHERE k = 'a'").run();
        throw new Error("half-way");
      }),
    ).toThrow("half-way");
    expect(value(db, "a")).toBe(0);
  });

  it("on the writer, adds no savepoint: a write that throws half-way is undone by the queue's, its neighbour commits", async () => {
    const db = table();
    const queue = new WriteQueue(db);
    const failing = queue.run(() =>
      immediate(db, () => {
        db.prepare("UPDATE t SET v = 1 WHERE k = 'a'").run();
        throw new Error("half-way");
      }),
    );
    const fine = queue.run(() => immediate(db, () => db.prepare("UPDATE t SET v = 2 WHERE k = 'b'").run().changes));
    await expect(failing).rejects.toThrow("half-way");
    await expect(fine).resolves.toBe(1);
    expect([value(db, "a"), value(db, "b")]).toEqual([0, 2]);
    expect(queue.stats.commits).toBe(1);
  });
});
