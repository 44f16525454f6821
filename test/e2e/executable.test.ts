// The provider's single executable as the CLIs run it: stdout carries the handshake line and nothing else for the
// whole life of the process, Shutdown ends it with exit 0, and every start-up failure is one clear line on stderr.
import { spawn } from "node:child_process";
import { rmSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../provider/protocol/handshake.ts";
import { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";
import { providerExecutable } from "../helpers/tf.ts";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the executable; `onHandshake` gets the first stdout line and may drive the process before it exits. */
function run(env: NodeJS.ProcessEnv, onHandshake?: (line: string, kill: () => void) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    // No PATH at all: the executable needs nothing from the machine.
    const child = spawn(providerExecutable(), [], { env: { HOME: process.env.HOME, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let handshook = false;
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (!handshook && stdout.includes("\n") && onHandshake) {
        handshook = true;
        onHandshake(stdout.slice(0, stdout.indexOf("\n")), () => child.kill("SIGKILL")).catch(reject);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function unary(client: grpc.Client, path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
  );
}

const CLI = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6" };

describe("the single executable", () => {
  it("writes exactly the handshake line to stdout for its whole life, and exits 0 on Shutdown", async () => {
    const client = generateServerCertificate(); // the CLI's own certificate, as PLUGIN_CLIENT_CERT
    const r = await run({ ...CLI, PLUGIN_CLIENT_CERT: client.certPem }, async (line) => {
      const [, , , socket, , certB64] = line.split("|");
      const serverPem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(certB64!, "base64").toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
      const creds = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(client.keyPem), Buffer.from(client.certPem));
      const conn = new grpc.Client(`unix://${socket}`, creds, { "grpc.ssl_target_name_override": "localhost" });
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

  it.each([
    ["started by hand", {}, /^terraform-provider-iamsession|^This binary is a plugin .*terraform or tofu/],
    ["offered protocol 5 only", { ...CLI, PLUGIN_PROTOCOL_VERSIONS: "5" }, /protocol 6/],
    ["given a socket directory that does not exist", { ...CLI, PLUGIN_UNIX_SOCKET_DIR: "/nonexistent/iamsession" }, /failed to start: .*\/nonexistent\/iamsession/],
  ])("%s: exits 1 with one line on stderr and nothing on stdout", async (_what, env, message) => {
    const r = await run(env as NodeJS.ProcessEnv);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^[^\n]+\n$/);
    expect(r.stderr).toMatch(message);
  });

  it("keeps running when its per-user code cache is unusable (it is only a speed-up)", async () => {
    const home = mkdtempSync(join(tmpdir(), "iamsession-home-"));
    try {
      // A file where the cache directory would be: the cache can be neither read nor written.
      writeFileSync(join(home, ".cache"), "not a directory");
      const r = await run({ ...CLI, PLUGIN_PROTOCOL_VERSIONS: "6", HOME: home, XDG_CACHE_HOME: "" }, async (_line, kill) => kill());
      expect(r.stdout).toMatch(/^1\|6\|unix\|/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
