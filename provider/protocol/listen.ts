// The first half of a plugin's start-up, everything the handshake line needs and nothing more: the magic cookie,
// protocol 6, a unix socket listening, and (AutoMTLS) the server certificate. It loads only node:net and
// node:crypto, so the line is printed before gRPC, HTTP/2, TLS, protobuf and the provider are loaded. Connections
// the CLI opens meanwhile wait in the socket's backlog, paused (not a byte read), until the gRPC server takes them.
import { mkdtempSync, rmSync, writeSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handshakeLine, negotiateProtocolVersion, NOT_A_COMMAND_MESSAGE, startedByCli } from "./handshake.ts";
import type { Logger } from "./logger.ts";
import { generateServerCertificate, type ServerCertificate } from "./tls/cert.ts";

export interface Listener {
  socketPath: string;
  /** The CLI's certificate (PEM), the only one the server accepts; absent with TF_DISABLE_PLUGIN_TLS. */
  clientCertPem?: string;
  serverCert?: ServerCertificate;
  /** The listening socket; it stops accepting when closed. */
  server: Server;
  /** Hands every connection, those already accepted first, to `take`. */
  accept(take: (socket: Socket) => void): void;
  /** Connections accepted and not yet closed. */
  readonly open: ReadonlySet<Socket>;
}

/**
 * Writes the handshake line straight to fd 1: process.stdout would first build a stream around the pipe, which is
 * start-up time. A pipe that cannot take it now (non-blocking and full) gets the rest through process.stdout.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch {
    process.stdout.write(bytes.subarray(written));
  }
}

function fail(message: string): never {
  process.stderr.write(message);
  process.exit(1);
}

type NodeServer = Server & { _listen2?: (path: string, port: -1, addressType: -1, backlog: number) => void; _pipeName?: string };

/**
 * Listens on a unix socket path without what `server.listen(path)` first does: load Node's `cluster` module (and
 * with it `child_process`, ~5 ms before the handshake line) only to ask whether this process is a cluster worker,
 * which a plugin never is. For the primary, listen() then calls `_listen2`, the step Node keeps under that name
 * because code wraps it; where it is missing, plain listen(). Either way "listening" or "error" follows.
 */
function listenOnPath(server: Server, path: string): void {
  const s = server as NodeServer;
  if (typeof s._listen2 !== "function") {
    server.listen(path);
    return;
  }
  s._pipeName = path; // what listen(path) records: server.address() returns it
  s._listen2(path, -1, -1, 511);
}

// One listener per process, kept under a global symbol rather than in this module: the single executable runs a
// small separate script first (listen-early.ts, so the line does not wait for the provider bundle to be compiled),
// and the provider bundle, which holds its own copy of this module, then takes over the same listener.
const LISTENER = Symbol.for("iamsession.plugin-listener");

/** Starts listening and prints the handshake line, once per process: later calls get the same listener. */
export function listenForCli(env: NodeJS.ProcessEnv, log: Logger): Promise<Listener> {
  const process_ = globalThis as { [LISTENER]?: Promise<Listener> };
  return (process_[LISTENER] ??= listen(env, log));
}

async function listen(env: NodeJS.ProcessEnv, log: Logger): Promise<Listener> {
  if (!startedByCli(env)) fail(NOT_A_COMMAND_MESSAGE);
  const negotiated = negotiateProtocolVersion(env);
  if ("error" in negotiated) fail(negotiated.error);

  const socketDir = mkdtempSync(join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), "plugin"));
  const socketPath = join(socketDir, "provider.sock");
  process.on("exit", () => rmSync(socketDir, { recursive: true, force: true }));

  const open = new Set<Socket>();
  let waiting: Socket[] | undefined = [];
  let take: ((socket: Socket) => void) | undefined;
  // pauseOnConnect: the TLS layer reads from the socket's handle itself, so nothing may be read before it has it.
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    if (take) take(socket);
    else waiting!.push(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.once("listening", () => {
      server.off("error", reject);
      resolve();
    });
    listenOnPath(server, socketPath);
  });
  server.on("error", (err) => log.error("plugin socket failed", { error: err.message }));

  const clientCertPem = env.PLUGIN_CLIENT_CERT || undefined;
  const serverCert = clientCertPem ? generateServerCertificate() : undefined;
  writeStdout(handshakeLine(socketPath, serverCert?.der) + "\n");
  log.debug("plugin started", { socket: socketPath, tls: !!clientCertPem, pid: process.pid });

  return {
    socketPath,
    clientCertPem,
    serverCert,
    server,
    open,
    accept(fn) {
      take = fn;
      const queued = waiting!;
      waiting = undefined;
      for (const s of queued) if (!s.destroyed) fn(s);
    },
  };
}
