// The provider's single executable as the CLIs run it: stdout carries the handshake line and nothing else for the
// whole life of the process, Shutdown ends it with exit 0, and every start-up failure is one clear line on stderr.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";
import { CLI, mtlsClient, runProvider, serverPem, unary } from "../helpers/plugin-process.ts";
import { providerExecutable } from "../helpers/tf.ts";

/** A port bound on 127.0.0.1 (so the provider must skip it) and the next one, free when this was written. */
async function takenPort(): Promise<{ taken: number; release: () => Promise<void> }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { taken: (server.address() as AddressInfo).port, release: () => new Promise((r) => server.close(() => r())) };
}

describe("the single executable", () => {
  it("writes exactly the handshake line to stdout for its whole life, and exits 0 on Shutdown", async () => {
    const client = generateServerCertificate(); // the CLI's own certificate, as PLUGIN_CLIENT_CERT
    const r = await runProvider({ ...CLI, PLUGIN_CLIENT_CERT: client.certPem }, async (line) => {
      const [, , , socket, , certB64] = line.split("|");
      const conn = mtlsClient(`unix://${socket}`, certB64!, client);
      try {
        await unary(conn, "/grpc.health.v1.Health/Check");
        await unary(conn, "/plugin.GRPCController/Shutdown");
      } finally {
        conn.close();
      }
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^1\|6\|unix\|\/[^|\n]+\|grpc\|[A-Za-z0-9+/]+\n$/);
  });

  it("on SIGTERM (a CI job stopped) exits 143 and removes its socket directory, which a plain signal death leaves", async () => {
    const client = generateServerCertificate();
    const socketDirs = mkdtempSync(join(tmpdir(), "iamsession-sigterm-"));
    try {
      let socket = "";
      const r = await runProvider({ ...CLI, PLUGIN_CLIENT_CERT: client.certPem, PLUGIN_UNIX_SOCKET_DIR: socketDirs }, async (line, kill) => {
        socket = line.split("|")[3]!;
        expect(existsSync(socket)).toBe(true);
        kill("SIGTERM");
      });
      expect(r.code).toBe(143);
      expect(dirname(socket).startsWith(socketDirs)).toBe(true);
      expect(readdirSync(socketDirs)).toEqual([]);
    } finally {
      rmSync(socketDirs, { recursive: true, force: true });
    }
  });

  it("answers only a client presenting the CLI's certificate (AutoMTLS): another one, or none, gets nothing", async () => {
    const client = generateServerCertificate(); // the CLI's, as PLUGIN_CLIENT_CERT
    const stranger = generateServerCertificate(); // the same kind of certificate, not the CLI's
    const refusals: string[] = [];
    const r = await runProvider({ ...CLI, PLUGIN_CLIENT_CERT: client.certPem }, async (line) => {
      const [, , , socket, , certB64] = line.split("|");
      const attempts = [
        mtlsClient(`unix://${socket}`, certB64!, stranger),
        new grpc.Client(`unix://${socket}`, grpc.credentials.createSsl(Buffer.from(serverPem(certB64!))), { "grpc.ssl_target_name_override": "localhost" }),
      ];
      for (const conn of attempts) {
        try {
          await new Promise<void>((resolve, reject) =>
            conn.makeUnaryRequest("/grpc.health.v1.Health/Check", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), { deadline: Date.now() + 5000 },
              (err) => (err ? reject(err) : resolve())),
          );
          refusals.push("answered");
        } catch (err) {
          refusals.push(String((err as grpc.ServiceError).code));
        } finally {
          conn.close();
        }
      }
      const conn = mtlsClient(`unix://${socket}`, certB64!, client); // and the CLI itself, still served
      try {
        await unary(conn, "/grpc.health.v1.Health/Check");
        await unary(conn, "/plugin.GRPCController/Shutdown");
      } finally {
        conn.close();
      }
    });
    expect(refusals).toEqual([String(grpc.status.UNAVAILABLE), String(grpc.status.UNAVAILABLE)]);
    expect(r.code).toBe(0);
  });

  it("over TCP (IAMSESSION_PLUGIN_NETWORK=tcp, as on Windows): the first free port of the CLI's range, exit 0 once the CLI has closed", async () => {
    const client = generateServerCertificate();
    const { taken, release } = await takenPort();
    try {
      const range = { PLUGIN_MIN_PORT: String(taken), PLUGIN_MAX_PORT: String(taken + 50) };
      let stillRunningAfterReply = false;
      const r = await runProvider({ ...CLI, ...range, PLUGIN_CLIENT_CERT: client.certPem, IAMSESSION_PLUGIN_NETWORK: "tcp" }, async (line, _kill, exited) => {
        const [, , , address, , certB64] = line.split("|");
        const conn = mtlsClient(address!, certB64!, client);
        try {
          await unary(conn, "/grpc.health.v1.Health/Check");
          await unary(conn, "/plugin.GRPCController/Shutdown");
          // Over TCP the provider waits for the CLI to close its connection (plugin-server.ts), up to 500 ms.
          await new Promise((resolve) => setTimeout(resolve, 50));
          stillRunningAfterReply = !exited();
        } finally {
          conn.close();
        }
      });
      expect(r.code).toBe(0);
      const [, , network, address] = r.stdout.split("|");
      expect(network).toBe("tcp");
      const port = Number(address!.split(":")[1]);
      expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(port).toBeGreaterThan(taken); // the taken one skipped, as go-plugin's serverListener_tcp does
      expect(port).toBeLessThanOrEqual(taken + 50);
      expect(r.stdout).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]+\n$/);
      expect(stillRunningAfterReply).toBe(true);
    } finally {
      await release();
    }
  });

  it("over TCP without a port range: a port the OS picks", async () => {
    const r = await runProvider({ ...CLI, IAMSESSION_PLUGIN_NETWORK: "tcp" }, async (_line, kill) => kill());
    expect(r.stdout).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:[1-9]\d*\|grpc\|\n$/);
  });

  it.each([
    ["started by hand", {}, /^terraform-provider-iamsession|^This binary is a plugin .*terraform or tofu/],
    ["offered protocol 5 only", { ...CLI, PLUGIN_PROTOCOL_VERSIONS: "5" }, /protocol 6/],
    ["given a socket directory that does not exist", { ...CLI, PLUGIN_UNIX_SOCKET_DIR: "/nonexistent/iamsession" }, /failed to start: .*\/nonexistent\/iamsession/],
    ["asked for an unknown network", { ...CLI, IAMSESSION_PLUGIN_NETWORK: "udp" }, /failed to start: IAMSESSION_PLUGIN_NETWORK must be "unix" or "tcp", not "udp"/],
    ["given a bad port range over TCP", { ...CLI, IAMSESSION_PLUGIN_NETWORK: "tcp", PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "99999" }, /failed to start: PLUGIN_MAX_PORT must be a port number from 0 to 65535/],
  ])("%s: exits 1 with one line on stderr and nothing on stdout", async (_what, env, message) => {
    const r = await runProvider(env as NodeJS.ProcessEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^[^\n]+\n$/);
    expect(r.stderr).toMatch(message);
  });

  it("over TCP with every port of the range taken: exits 1 with one line naming the range", async () => {
    const { taken, release } = await takenPort();
    try {
      const r = await runProvider({ ...CLI, IAMSESSION_PLUGIN_NETWORK: "tcp", PLUGIN_MIN_PORT: String(taken), PLUGIN_MAX_PORT: String(taken) });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^[^\n]+\n$/);
      expect(r.stderr).toContain(`failed to start: cannot listen on 127.0.0.1 at port ${taken} (PLUGIN_MIN_PORT/PLUGIN_MAX_PORT): `);
      expect(r.stderr).toContain("EADDRINUSE");
    } finally {
      await release();
    }
  });

  it("keeps running when its per-user code cache is unusable (it is only a speed-up)", async () => {
    const home = mkdtempSync(join(tmpdir(), "iamsession-home-"));
    try {
      // A file where the cache directory would be: the cache can be neither read nor written.
      writeFileSync(join(home, ".cache"), "not a directory");
      const r = await runProvider({ ...CLI, PLUGIN_PROTOCOL_VERSIONS: "6", HOME: home, XDG_CACHE_HOME: "" }, async (_line, kill) => kill());
      expect(r.stdout).toMatch(/^1\|6\|unix\|/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
  it("exits by itself when the CLI dies right after the handshake line, before the server is up", async () => {
    // A stand-in CLI that starts the provider, reads its handshake line and dies at once, before the provider has
    // loaded grpc-js and the rest: the provider is re-parented then, and must still notice that its CLI is gone.
    const cli = [
      "const { spawn } = require('node:child_process');",
      `const p = spawn(${JSON.stringify(providerExecutable())}, [], { env: ${JSON.stringify({ HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, ...CLI })}, stdio: ['ignore', 'pipe', 'ignore'] });`,
      "p.stdout.once('data', () => { process.stdout.write(String(p.pid)); process.exit(0); });",
    ].join("\n");
    const pid = await new Promise<number>((resolve, reject) => {
      const c = spawn(process.execPath, ["-e", cli], { stdio: ["ignore", "pipe", "inherit"] });
      let out = "";
      c.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
      c.on("error", reject);
      c.on("close", () => (/^\d+$/.test(out) ? resolve(Number(out)) : reject(new Error(`no pid from the stand-in CLI: ${out}`))));
    });
    // Gone, or a zombie its new parent has not reaped yet: either way no longer running.
    const running = () => {
      try {
        return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
      } catch {
        return false;
      }
    };
    try {
      const deadline = Date.now() + 10_000; // the provider looks once a second
      while (running() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(running()).toBe(false);
    } finally {
      if (running()) process.kill(pid, "SIGKILL");
    }
  });
});
