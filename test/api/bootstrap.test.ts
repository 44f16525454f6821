// The first platform administrator (printed once when no token is given) and the CLI's create-admin-key.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT, apiRequest, startApiServer } from "../helpers/api-server.ts";

const dir = mkdtempSync(join(tmpdir(), "iamsession-bootstrap-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  stdout: string;
  url: string;
  stop(): Promise<void>;
}

/** Runs the server without IAMSESSION_ADMIN_TOKEN until it listens. */
async function startWithoutToken(dbPath: string): Promise<Run> {
  const env = { ...process.env };
  delete env.IAMSESSION_ADMIN_TOKEN;
  const child = spawn(process.execPath, ["--import", "tsx", "api/main.ts", "--listen", "127.0.0.1:0", "--db", dbPath], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      stdout += d;
      const m = /^iamsession API listening on (\S+)$/m.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
  });
  return {
    stdout,
    url,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("first platform administrator", () => {
  it("without IAMSESSION_ADMIN_TOKEN, a fresh key is printed once and works; later starts print none", async () => {
    const dbPath = join(dir, "generated.db");
    const first = await startWithoutToken(dbPath);
    try {
      const key = /^\s+(iams_[A-Za-z0-9_-]{43})$/m.exec(first.stdout)?.[1];
      expect(key, first.stdout).toBeDefined();
      expect(first.stdout).toMatch(/shown only this once/);
      const res = await apiRequest(first.url, "POST", "/v1/accounts", { token: key, json: { name: "x" } });
      expect(res.status).toBe(201);
    } finally {
      await first.stop();
    }
    const second = await startWithoutToken(dbPath);
    await second.stop();
    expect(second.stdout).not.toMatch(/iams_/);
  });

  it("create-admin-key adds a working platform administrator key, printed once", async () => {
    const server = await startApiServer();
    try {
      const out = spawnSync(process.execPath, ["--import", "tsx", "api/cli.ts", "create-admin-key", "--db", server.dbPath, "--name", "second admin", "--key-only"], {
        cwd: REPO_ROOT,
        encoding: "utf8",
      });
      expect(out.status, out.stderr).toBe(0);
      const key = out.stdout.trim();
      expect(key).toMatch(/^iams_[A-Za-z0-9_-]{43}$/);
      const res = await apiRequest(server, "POST", "/v1/accounts", { token: key, json: { name: "by cli key" } });
      expect(res.status).toBe(201);
    } finally {
      await server.dispose();
    }
  });

  it("refuses a bad listen address with a message, not a stack trace", () => {
    const out = spawnSync(process.execPath, ["--import", "tsx", "api/main.ts", "--listen", "nonsense", "--db", join(dir, "x.db")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
    });
    expect(out.status).toBe(1);
    expect(out.stderr).toContain("is not host:port");
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});
