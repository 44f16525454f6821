// The first half of a plugin's start-up, everything the handshake line needs and nothing more: the magic cookie,
// protocol 6, a unix socket (TCP on 127.0.0.1 on Windows: network.ts) listening, and (AutoMTLS) the server
// certificate. It loads only node:net and node:crypto, so the line is printed before gRPC, HTTP/2, TLS, protobuf and
// the provider are loaded. Connections the CLI opens meanwhile wait in the socket's backlog, paused (not a byte
// read), until the gRPC server takes them.
import { mkdtempSync, rmSync, writeSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { handshakeLine, negotiateProtocolVersion, NOT_A_COMMAND_MESSAGE, startedByCli, type PluginNetwork } from "./handshake.ts";
import type { Logger } from "./logger.ts";
import { pluginNetwork, tcpPortRange } from "./network.ts";
import { generateServerCertificate, type ServerCertificate } from "./tls/cert.ts";

export interface Listener {
  network: PluginNetwork;
  /** What the handshake line gives the CLI to dial: the socket's path, or `127.0.0.1:PORT`. */
  address: string;
  /** The CLI's certificate (PEM), the only one the server accepts; absent with TF_DISABLE_PLUGIN_TLS. */
  clientCertPem?: string;
  serverCert?: ServerCertificate;
  /** The listening socket; it stops accepting when closed. */
  server: Server;
  /** Hands every connection, those already accepted first, to `take`. */
  accept(take: (socket: Socket) => void): void;
  /** Connections accepted and not yet closed. */
  readonly open: ReadonlySet<Socket>;
  /** The CLI's process id, read first thing: a CLI that dies before the server is up must still be noticed. */
  parentPid: number;
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

type NodeServer = Server & {
  _listen2?: (address: string, port: number, addressType: -1 | 4, backlog: number) => void;
  _pipeName?: string;
};

/**
 * Listens without what `server.listen()` first does: load Node's `cluster` module (and with it `child_process`,
 * ~5 ms before the handshake line) only to ask whether this process is a cluster worker, which a plugin never is;
 * given a host, listen() also loads `dns` (and `dgram`) to look up even an IP literal. For the primary, listen()
 * then calls `_listen2`, the step Node keeps under that name because code wraps it, with the address already
 * resolved: a path (address type -1) or an IPv4 address (4). Where it is missing, plain listen(). Either way
 * "listening" or "error" follows.
 */
function listenOn(server: Server, where: { path: string } | { port: number }): void {
  const s = server as NodeServer;
  if (typeof s._listen2 !== "function") {
    if ("path" in where) server.listen(where.path);
    else server.listen({ host: LOOPBACK, port: where.port });
    return;
  }
  if ("path" in where) {
    s._pipeName = where.path; // what listen(path) records: server.address() returns it
    s._listen2(where.path, -1, -1, 511);
  } else {
    s._listen2(LOOPBACK, where.port, 4, 511);
  }
}

const LOOPBACK = "127.0.0.1";

/** Resolves on "listening", rejects on "error" (a path or port already taken, a missing directory). */
function listening(server: Server, where: { path: string } | { port: number }): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const failed = (err: Error) => {
      server.off("listening", done);
      reject(err);
    };
    const done = () => {
      server.off("error", failed);
      resolve();
    };
    server.once("error", failed);
    server.once("listening", done);
    listenOn(server, where);
  });
}

/** A unix socket in a fresh private directory (under PLUGIN_UNIX_SOCKET_DIR when the CLI sets it), removed at exit and on SIGTERM. */
async function listenOnUnixSocket(server: Server, env: NodeJS.ProcessEnv): Promise<string> {
  const socketDir = mkdtempSync(join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), "plugin"));
  process.on("exit", () => rmSync(socketDir, { recursive: true, force: true }));
  // Terminated (a CI job's process group stopped, say), exit rather than die as Node would by default, so that the
  // directory goes too instead of piling up in the temp directory; 143 is what a shell reports for SIGTERM.
  process.once("SIGTERM", () => process.exit(128 + 15));
  const socketPath = join(socketDir, "provider.sock");
  await listening(server, { path: socketPath });
  return socketPath;
}

/** 127.0.0.1 on the first free port from PLUGIN_MIN_PORT to PLUGIN_MAX_PORT, as go-plugin does; port 0: the OS picks. */
async function listenOnLoopback(server: Server, env: NodeJS.ProcessEnv): Promise<string> {
  const range = tcpPortRange(env);
  if ("error" in range) throw new Error(range.error);
  let lastError: Error | undefined;
  for (let port = range.min; port <= range.max; port++) {
    try {
      await listening(server, { port });
      return `${LOOPBACK}:${(server.address() as AddressInfo).port}`;
    } catch (err) {
      lastError = err as Error; // taken: the next one
    }
  }
  const ports = range.min === range.max ? `port ${range.min}` : `any port from ${range.min} to ${range.max}`;
  throw new Error(`cannot listen on ${LOOPBACK} at ${ports} (PLUGIN_MIN_PORT/PLUGIN_MAX_PORT): ${lastError?.message}`);
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
  const parentPid = process.ppid;
  if (!startedByCli(env)) fail(NOT_A_COMMAND_MESSAGE);
  const negotiated = negotiateProtocolVersion(env);
  if ("error" in negotiated) fail(negotiated.error);

  const chosen = pluginNetwork(env, process.platform);
  if ("error" in chosen) throw new Error(chosen.error);
  const { network } = chosen;

  const open = new Set<Socket>();
  let waiting: Socket[] | undefined = [];
  let take: ((socket: Socket) => void) | undefined;
  // pauseOnConnect: the TLS layer reads from the socket's handle itself, so nothing may be read before it has it.
  // noDelay (TCP only; a unix socket has no Nagle): a reply's HTTP/2 frames go out at once, not after an ACK.
  const server = createServer({ pauseOnConnect: true, noDelay: true }, (socket) => {
    open.add(socket);
    socket.once("close", () => open.delete(socket));
    if (take) take(socket);
    else waiting!.push(socket);
  });
  const address = network === "unix" ? await listenOnUnixSocket(server, env) : await listenOnLoopback(server, env);
  server.on("error", (err) => log.error("plugin socket failed", { error: err.message }));

  const clientCertPem = env.PLUGIN_CLIENT_CERT || undefined;
  const serverCert = clientCertPem ? generateServerCertificate() : undefined;
  writeStdout(handshakeLine(network, address, serverCert?.der) + "\n");
  log.debug("plugin started", { network, address, tls: !!clientCertPem, pid: process.pid });

  return {
    parentPid,
    network,
    address,
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
