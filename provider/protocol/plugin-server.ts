// Runs a go-plugin gRPC server the way the CLIs expect: checks the magic cookie, negotiates protocol 6, listens
// on a unix socket (with AutoMTLS when the CLI sends its certificate), prints the handshake line, and serves the
// provider plus go-plugin's controller, stdio and health services until told to shut down.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { handshakeLine, negotiateProtocolVersion, NOT_A_COMMAND_MESSAGE, startedByCli } from "./handshake.ts";
import { createLogger, type Logger } from "./logger.ts";
import { serviceDefinition, type Message } from "./proto/services.ts";
import type { ProviderServer, RpcName } from "./tfplugin6/rpcs.ts";
import { wireProvider, type WireProvider } from "./tfplugin6/service.ts";
import type { WireRequests } from "./tfplugin6/wire.ts";
import { generateServerCertificate } from "./tls/cert.ts";

export interface PluginServerOptions {
  /** One method per tfplugin6.Provider RPC; RPCs it does not have (not in tfplugin6.proto) answer UNIMPLEMENTED. */
  provider: ProviderServer;
  logger?: Logger;
  env?: NodeJS.ProcessEnv;
}

export interface RunningPlugin {
  socketPath: string;
  /** Ends open streams, closes the server and exits the process (0). */
  shutdown(code?: number): void;
}

function fail(message: string): never {
  process.stderr.write(message);
  process.exit(1);
}

export async function servePlugin(opts: PluginServerOptions): Promise<RunningPlugin> {
  const env = opts.env ?? process.env;
  const log = opts.logger ?? createLogger();
  if (!startedByCli(env)) fail(NOT_A_COMMAND_MESSAGE);
  const negotiated = negotiateProtocolVersion(env);
  if ("error" in negotiated) fail(negotiated.error);

  // The CLI forwards Ctrl-C to its plugins and then calls StopProvider itself: the signal must not kill us.
  process.on("SIGINT", () => log.trace("plugin received interrupt signal, ignoring"));

  const socketDir = mkdtempSync(join(env.PLUGIN_UNIX_SOCKET_DIR || tmpdir(), "plugin"));
  const socketPath = join(socketDir, "provider.sock");
  process.on("exit", () => rmSync(socketDir, { recursive: true, force: true }));

  const clientCert = env.PLUGIN_CLIENT_CERT;
  let credentials: grpc.ServerCredentials;
  let certDer: Uint8Array | undefined;
  if (clientCert) {
    const cert = generateServerCertificate();
    certDer = cert.der;
    // The CLI's own certificate is the only trust root; it must present it (mutual TLS).
    credentials = grpc.ServerCredentials.createSsl(
      Buffer.from(clientCert),
      [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }],
      true,
    );
  } else {
    credentials = grpc.ServerCredentials.createInsecure(); // TF_DISABLE_PLUGIN_TLS
  }

  const server = new grpc.Server({ "grpc.enable_channelz": 0 });
  const openStreams = new Set<grpc.ServerWritableStream<Message, Message>>();
  let shuttingDown = false;
  const shutdown = (code = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const s of openStreams) s.end();
    // Let the last replies flush; never hang on a stuck client.
    const force = setTimeout(() => process.exit(code), 500);
    server.tryShutdown(() => {
      clearTimeout(force);
      process.exit(code);
    });
  };

  const wire = wireProvider(opts.provider);
  function unary<K extends RpcName>(name: K, handler: WireProvider[K]): grpc.handleUnaryCall<Message, Message> {
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
  const providerImpl: grpc.UntypedServiceImplementation = {};
  for (const name of Object.keys(wire) as RpcName[]) providerImpl[name] = unary(name, wire[name]);
  server.addService(serviceDefinition("tfplugin6.Provider"), providerImpl);
  server.addService(serviceDefinition("plugin.GRPCController"), {
    Shutdown: (_call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) => {
      log.debug("shutdown requested by the CLI");
      callback(null, {});
      setImmediate(() => shutdown(0));
    },
  });
  server.addService(serviceDefinition("plugin.GRPCStdio"), {
    // Logs go to stderr directly, so this stream carries nothing; it stays open until the process ends.
    StreamStdio: (call: grpc.ServerWritableStream<Message, Message>) => {
      openStreams.add(call);
      call.on("cancelled", () => openStreams.delete(call));
      call.on("close", () => openStreams.delete(call));
    },
  });
  server.addService(serviceDefinition("grpc.health.v1.Health"), {
    Check: (_call: grpc.ServerUnaryCall<Message, Message>, callback: grpc.sendUnaryData<Message>) =>
      callback(null, { status: 1 /* SERVING */ }),
  });

  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix://${socketPath}`, credentials, (err) => (err ? reject(err) : resolve())),
  );

  process.stdout.write(handshakeLine(socketPath, certDer) + "\n");
  log.debug("plugin started", { socket: socketPath, tls: !!clientCert, pid: process.pid });

  // When the CLI dies without calling Shutdown we are re-parented: exit instead of lingering forever.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) {
      log.debug("parent process gone, exiting");
      shutdown(0);
    }
  }, 1000).unref();

  return { socketPath, shutdown };
}
