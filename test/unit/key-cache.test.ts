// The authentication cache (api/db/api-keys.ts, KeyCache) on a real SQLite file with two connections, as the server
// and `npm run admin` (or a second API process) have them: a change to a key's authority made on the OTHER
// connection is seen by the very next lookup; a key's last use is not such a change; expiry follows the clock;
// unknown hashes are never cached; and the trigger that keeps the generation watches every column of api_keys that
// authentication reads (a column added later and left out of it fails here).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../api/db/database.ts";
import { ApiKeyStore, KeyCache } from "../../api/db/api-keys.ts";
import { Store } from "../../api/db/store.ts";
import { generateApiKey, generateKeyId, hashApiKey } from "../../api/keys.ts";

let dir: string;
let server: Database.Database;
let admin: Database.Database;
let cache: KeyCache;
let adminStore: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "iamsession-key-cache-"));
  server = openDatabase(join(dir, "db.sqlite"));
  admin = openDatabase(join(dir, "db.sqlite"));
  cache = new KeyCache(new ApiKeyStore(server));
  adminStore = new Store(admin);
  adminStore.createAccount("acct-a", "A");
});
afterEach(() => {
  server.close();
  admin.close();
  rmSync(dir, { recursive: true, force: true });
});

function newKey(opts: { expiresAt?: string } = {}) {
  const secret = generateApiKey();
  const record = adminStore.keys.create({
    id: generateKeyId(),
    name: "k",
    role: "editor",
    accountId: "acct-a",
    hash: hashApiKey(secret),
    expiresAt: opts.expiresAt ?? null,
  });
  return { secret, record, hash: hashApiKey(secret) };
}

describe("KeyCache", () => {
  it("a revocation on another connection takes effect on the next lookup", () => {
    const k = newKey();
    expect(cache.find(k.hash)?.state).toBe("active");
    expect(cache.find(k.hash)?.state).toBe("active");
    expect(cache.size).toBe(1);
    expect(adminStore.keys.revoke({ accountId: "acct-a" }, k.record.id, null)).toBe("revoked");
    expect(cache.find(k.hash)?.state).toBe("revoked");
  });

  it("a role or expiry changed on another connection is seen at once", () => {
    const k = newKey();
    expect(cache.find(k.hash)?.key.role).toBe("editor");
    admin.prepare("UPDATE api_keys SET role = 'viewer' WHERE id = ?").run(k.record.id);
    expect(cache.find(k.hash)?.key.role).toBe("viewer");
    admin.prepare("UPDATE api_keys SET expires_at = ? WHERE id = ?").run(new Date(Date.now() - 1000).toISOString(), k.record.id);
    expect(cache.find(k.hash)?.state).toBe("expired");
  });

  it("a key removed on another connection is unknown at once", () => {
    const k = newKey();
    expect(cache.find(k.hash)).toBeDefined();
    admin.prepare("DELETE FROM api_keys WHERE id = ?").run(k.record.id);
    expect(cache.find(k.hash)).toBeUndefined();
  });

  it("a recorded use (last_used_at) keeps the cache; the cached record learns of its own touch", () => {
    const k = newKey();
    cache.find(k.hash);
    const before = adminStore.keys.generation();
    adminStore.keys.touch(k.record);
    expect(adminStore.keys.generation()).toBe(before);
    expect(cache.find(k.hash)?.key.last_used_at).toBeNull();
    const now = new Date();
    cache.touched(k.hash, now);
    expect(cache.find(k.hash)?.key.last_used_at).toBe(now.toISOString());
  });

  it("judges expiry against the clock on every use, cached or not", () => {
    const expiresAt = new Date(Date.now() + 60_000);
    const k = newKey({ expiresAt: expiresAt.toISOString() });
    expect(cache.find(k.hash)?.state).toBe("active");
    expect(cache.find(k.hash, new Date(expiresAt.getTime() + 1))?.state).toBe("expired");
    expect(cache.find(k.hash)?.state).toBe("active");
  });

  it("never caches an unknown hash, and holds at most its limit", () => {
    expect(cache.find(hashApiKey(generateApiKey()))).toBeUndefined();
    expect(cache.size).toBe(0);
    const small = new KeyCache(new ApiKeyStore(server), 2);
    const keys = [newKey(), newKey(), newKey()];
    for (const k of keys) expect(small.find(k.hash)?.state).toBe("active");
    expect(small.size).toBe(2);
    for (const k of keys) expect(small.find(k.hash)?.state).toBe("active");
  });

  it("the generation's trigger watches every column of api_keys but last_used_at", () => {
    const columns = (server.prepare("SELECT name FROM pragma_table_info('api_keys')").pluck().all() as string[]).filter((c) => c !== "last_used_at");
    const sql = server.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'api_keys_changed'").pluck().get() as string;
    const watched = /UPDATE OF([\s\S]*?)ON api_keys/.exec(sql)![1]!.split(",").map((c) => c.trim());
    expect(watched.sort()).toEqual(columns.sort());
  });
});
