// Runs a go-plugin gRPC server the way the CLIs expect: the handshake line first (listen.ts: cookie, protocol 6, the
// unix socket or TCP port, AutoMTLS certificate), then — loaded only now, while the CLI reads the line and dials —
// grpc-js, the protobuf services and the provider itself, serving it plus go-plugin's controller, stdio and health
// services on the connections the listener accepted, until told to shut down.
import type * as grpcTypes from "@grpc/grpc-js";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { listenForCli, type Listener } from "./listen.ts";
import { createLogger, type Logger } from "./logger.ts";
import type { Message } from "./proto/services.ts";
import type { ProviderServer, RpcName } from "./tfplugin6/rpcs.ts";
import type { WireProvider } from "./tfplugin6/service.ts";
import type { WireRequests } from "./tfplugin6/wire.ts";

export interface PluginServerOptions {
  /**
   * One method per tfplugin6.Provider RPC; RPCs it does not have (not in tfplugin6.proto) answer UNIMPLEMENTED.
   * A function is called after the handshake line is printed, so the provider's own modules can load then.
   */
  provider: ProviderServer | (() => ProviderServer | Promise<ProviderServer>);
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface RunningPlugin {
  network: Listener["network"];
  /** The address in the handshake line: a socket path, or 127.0.0.1:PORT. */
  address: string;
  /** Ends open streams, closes the server and exits the process (0). */
  shutdown(code?: number): void;
}

/** Waits (bounded) until stderr has handed its pending log lines to the OS; pipes are asynchronous on macOS. */
function stderrFlushed(ms: number): Promise<void> {
  if (!process.stderr.writableLength) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    process.stderr.once("drain", () => {
      clearTimeout(t);
      resolve();
    });
  });
}

/**
 * Bytes written to a connection that libuv has not yet handed to the kernel. The TLS layer writes to the socket's
 * handle itself, past net.Socket's own buffer, so the handle's writeQueueSize is what says (net.Socket reads it too,
 * to tell a stalled write from an idle one); unknown counts as queued.
 */
function queuedBytes(socket: Socket): number {
  const handle = (socket as Socket & { _handle?: { writeQueueSize?: number } | null })._handle;
  if (handle === null) return 0; // closed
  return typeof handle?.writeQueueSize === "number" ? handle.writeQueueSize : Number.POSITIVE_INFINITY;
}

export async function servePlugin(opts: PluginServerOptions): Promise<RunningPlugin> {
  const env = opts.env ?? process.env;
  const log = opts.logger ?? createLogger();
  // The CLI forwards Ctrl-C to its plugins and then calls StopProvider itself: the signal must not kill us.
  process.on("SIGINT", () => log.trace("plugin received interrupt signal, ignoring"));

  const listener = await listenForCli(env, log);

  // Everything below is loaded after the handshake line (esbuild keeps dynamically imported modules lazy).
  const [grpc, { serviceDefinition }, { wireProvider }, { mutualTls }] = await Promise.all([
    import("@grpc/grpc-js"),
    import("./proto/services.ts"),
    import("./tfplugin6/service.ts"),
    import("./tls/mutual-tls.ts"),
  ]);
  const provider = typeof opts.provider === "function" ? await opts.provider() : opts.provider;
  return serve(grpc, serviceDefinition, wireProvider(provider), listener, mutualTls, log);
}

function serve(
  grpc: typeof grpcTypes,
  serviceDefinition: (fullName: string) => grpcTypes.ServiceDefinition,
  wire: WireProvider,
  listener: Listener,
  mutualTls: typeof import("./tls/mutual-tls.ts").mutualTls,
  log: Logger,
): RunningPlugin {
  const server = new grpc.Server({ "grpc.enable_channelz": 0 });
  const openStreams = new Set<grpcTypes.ServerWritableStream<Message, Message>>();
  let shuttingDown = false;
  const shutdown = (code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    listener.server.close();
    for (const s of openStreams) s.end();
    let exiting = false;
    const exit = () => {
      if (exiting) return;
      exiting = true;
      void stderrFlushed(100).then(() => process.exit(code));
    };
    // grpc-js's own shutdown only closes the HTTP/2 sessions gracefully (its callback does not wait for the last
    // reply to be flushed). The Shutdown reply was handed to the socket in an earlier turn of the event loop (the
    // handler defers this function with setImmediate), and a unix socket's write puts the bytes in the CLI's
    // receive queue, which outlives this process: so exit on the next turn once no connection has bytes still
    // queued in libuv, without waiting for the CLI to close its connection (go-plugin's GRPCClient.Close closes it
    // after the reply; waiting for that was a round trip per process). A connection with queued bytes is waited
    // for until it closes; a CLI that never closes its connection gets a bounded wait.
    // Over TCP (Windows) the CLI closes first: a TCP socket closed while received bytes are still unread (a
    // WINDOW_UPDATE or PING the CLI sent after the reply) sends an RST, and an RST may make the CLI's side drop
    // what it has received but not yet read; what Windows' TCP does then cannot be tested here. So there grpc-js
    // does not close its sessions (that destroys the socket at once, unread bytes or not), and every connection is
    // waited for, bounded as above, until the CLI has closed it (GRPCClient.Close does right after the reply): a
    // round trip more per process, on TCP only.
    const tcp = listener.network === "tcp";
    if (!tcp) server.tryShutdown(() => undefined);
    const connections = [...listener.open];
    setImmediate(() => {
      const pending = connections.filter((c) => !c.destroyed && (tcp || queuedBytes(c) > 0));
      let remaining = pending.length;
      if (remaining === 0) exit();
      for (const c of pending) c.once("close", () => --remaining === 0 && exit());
    });
    setTimeout(exit, 500);
  };

  function unary<K extends RpcName>(name: K, handler: WireProvider[K]): grpcTypes.handleUnaryCall<Message, Message> {
    return (call, callback) => {
      const started = performance.now();
      // The codec decoded this message with the RPC's request type from tfplugin6.proto: wire.ts describes it.
      Promise.resolve(call.request as WireRequests[K])
        .then(handler)
        .then(
          (response) => {
            log.trace("served", { rpc: name, ms: Math.round(performance.now() - started) });
            callback(null, response);
          },
          (err: unknown) => {
            // Handlers turn errors into diagnostics; reaching here is a bug, reported without crashing.
            log.error("rpc failed", { rpc: name, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
            callback({ code: grpc.status.INTERNAL, details: err instanceof Error ? err.message : String(err) });
          },
        );
    };
  }
  const providerImpl: grpcTypes.UntypedServiceImplementation = {};
  for (const name of Object.keys(wire) as RpcName[]) providerImpl[name] = unary(name, wire[name]);
  server.addService(serviceDefinition("tfplugin6.Provider"), providerImpl);
  server.addService(serviceDefinition("plugin.GRPCController"), {
    Shutdown: (_call: grpcTypes.ServerUnaryCall<Message, Message>, callback: grpcTypes.sendUnaryData<Message>) => {
      log.debug("shutdown requested by the CLI");
      callback(null, {});
      setImmediate(() => shutdown(0));
    },
  });
  server.addService(serviceDefinition("plugin.GRPCStdio"), {
    // Logs go to stderr directly, so this stream carries nothing; it stays open until the process ends.
    StreamStdio: (call: grpcTypes.ServerWritableStream<Message, Message>) => {
      openStreams.add(call);
      call.on("cancelled", () => openStreams.delete(call));
      call.on("close", () => openStreams.delete(call));
    },
  });
  server.addService(serviceDefinition("grpc.health.v1.Health"), {
    Check: (_call: grpcTypes.ServerUnaryCall<Message, Message>, callback: grpcTypes.sendUnaryData<Message>) => {
      callback(null, { status: 1 /* SERVING */ });
    },
  });

  // The listener owns the socket. AutoMTLS (mutual-tls.ts) runs the TLS handshake and admits only the CLI; grpc-js
  // then serves HTTP/2 on the decrypted connection. With TF_DISABLE_PLUGIN_TLS grpc-js gets the socket as it is.
  const injector = server.createConnectionInjector(grpc.ServerCredentials.createInsecure());
  const inject = (socket: Socket | TLSSocket) => injector.injectConnection(socket);
  listener.accept(listener.serverCert ? mutualTls(listener.clientCertPem!, listener.serverCert, log, inject) : inject);

  // When the CLI dies without calling Shutdown we are re-parented: exit instead of lingering forever. The parent is
  // the one the listener saw before the handshake line, not today's: a CLI killed while this process loaded (between
  // the line and here) has already been replaced by init, and that must not count as the parent.
  setInterval(() => {
    if (process.ppid !== listener.parentPid) {
      log.debug("parent process gone, exiting");
      shutdown(0);
    }
  }, 1000).unref();

  return { network: listener.network, address: listener.address, shutdown };
}
