// The CLI's side of the plugin handshake, for tests that start the provider's single executable themselves (as
// Terraform and OpenTofu do): the environment a CLI sets, the process run with its stdout and stderr collected,
// the AutoMTLS client trusting only the handshake line's certificate, and unary RPCs over it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../provider/protocol/handshake.ts";
import { serviceDefinition, type Message } from "../../provider/protocol/proto/services.ts";
import type { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";
import { providerExecutable } from "./tf.ts";

/** What a CLI sets for every provider it starts (protocol 5 offered too, as both CLIs do). */
export const CLI = { [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5,6" };

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** What to start: default the executable the global setup built for this machine, with no arguments. */
  command?: { file: string; args: string[] };
  /** Milliseconds before the process is killed (SIGKILL): default 20 000. */
  timeoutMs?: number;
}

/**
 * Runs the executable; `onHandshake` gets the first stdout line and may drive the process before it exits
 * (`kill` sends SIGKILL unless told another signal; `exited` says whether it has already).
 */
export function runProvider(
  env: NodeJS.ProcessEnv,
  onHandshake?: (line: string, kill: (signal?: NodeJS.Signals) => void, exited: () => boolean) => Promise<void>,
  { command = { file: providerExecutable(), args: [] }, timeoutMs = 20_000 }: RunOptions = {},
): Promise<Run> {
  // The provider removes its socket directory when it exits, not when it is killed (as many of these runs end):
  // each run gets one of its own (unless `env` names one), removed when the run closes.
  const socketDir = mkdtempSync(join(tmpdir(), "iamsession-plugin-"));
  return new Promise((resolve, reject) => {
    // No PATH at all: the executable needs nothing from the machine. TMPDIR: the run's own (test/temp-dir-guard.ts).
    const child = spawn(command.file, command.args, {
      env: { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, PLUGIN_UNIX_SOCKET_DIR: socketDir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let handshook = false;
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (!handshook && stdout.includes("\n") && onHandshake) {
        handshook = true;
        const line = stdout.slice(0, stdout.indexOf("\n"));
        onHandshake(line, (signal = "SIGKILL") => child.kill(signal), () => child.exitCode !== null || child.signalCode !== null).catch(reject);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (err) => {
      rmSync(socketDir, { recursive: true, force: true });
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      rmSync(socketDir, { recursive: true, force: true });
      resolve({ code, stdout, stderr });
    });
  });
}

/** A unary call with an empty request whose answer is not read (health check, Shutdown). */
export function unary(client: grpc.Client, path: string): Promise<void> {
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err) => (err ? reject(err) : resolve())),
  );
}

const PROVIDER_SERVICE = serviceDefinition("tfplugin6.Provider");

/** A tfplugin6.Provider RPC, request and response as plain objects with the .proto's field names. */
export function providerRpc<T = any>(client: grpc.Client, rpc: string, request: Message): Promise<T> {
  const method = PROVIDER_SERVICE[rpc];
  if (!method) throw new Error(`no RPC ${rpc} in tfplugin6.Provider`);
  return new Promise((resolve, reject) =>
    client.makeUnaryRequest(method.path, method.requestSerialize, method.responseDeserialize, request, (err, res) =>
      err ? reject(err) : resolve(res as T),
    ),
  );
}

/** The server certificate of a handshake line (unpadded base64 DER) as PEM. */
export function serverPem(certB64: string): string {
  return `-----BEGIN CERTIFICATE-----\n${Buffer.from(certB64, "base64").toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
}

/** The CLI's side of AutoMTLS: a client trusting only the certificate in the handshake line, presenting its own. */
export function mtlsClient(target: string, certB64: string, client: ReturnType<typeof generateServerCertificate>): grpc.Client {
  const creds = grpc.credentials.createSsl(Buffer.from(serverPem(certB64)), Buffer.from(client.keyPem), Buffer.from(client.certPem));
  return new grpc.Client(target, creds, { "grpc.ssl_target_name_override": "localhost" });
}
