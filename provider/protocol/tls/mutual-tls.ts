// AutoMTLS, the server's side: TLS on each connection the listener accepted, and only the CLI answered — the client
// must present exactly the certificate the CLI gave in PLUGIN_CLIENT_CERT (TLS proves it holds that key).
//
// Why not a trust store holding that certificate (what go-plugin does, and grpc-js's createSsl): Node builds every
// context that is given a CA on top of its bundled root store, ~150 Mozilla roots that it starts parsing on another
// thread when `tls` loads, and the first such context waits for that thread and copies them all: 4–20 ms on the
// main thread of every provider process, at start-up, for roots that are then never used. A context with an empty
// CA list builds no store: the chain is not verified by OpenSSL, and the pin below decides instead. A pin is
// stricter than the trust store: that accepted any certificate the CLI's key had signed, this one only the CLI's.
import { X509Certificate } from "node:crypto";
import type { Socket } from "node:net";
import { createServer, type TLSSocket } from "node:tls";
import type { Logger } from "../logger.ts";
import type { ServerCertificate } from "./cert.ts";

/**
 * Returns what runs the TLS handshake on an accepted connection; `ready` gets each one whose client presented the
 * CLI's certificate, the others are closed.
 */
export function mutualTls(
  clientCertPem: string,
  server: ServerCertificate,
  log: Logger,
  ready: (secured: TLSSocket) => void,
): (socket: Socket) => void {
  const expected = new X509Certificate(clientCertPem).raw;
  // A TLS server that never listens: the plugin's listener hands it each connection (as a listening one would).
  const tls = createServer(
    {
      ca: [],
      cert: server.certPem,
      key: server.keyPem,
      requestCert: true,
      rejectUnauthorized: false, // no trust store to verify against: the pin below is the check
      ALPNProtocols: ["h2"], // gRPC clients (grpc-go in the CLIs) insist on it
    },
    (secured) => {
      const peer = secured.getPeerX509Certificate();
      if (!peer || !peer.raw.equals(expected)) {
        log.error("refused a plugin connection: the client did not present the CLI's certificate");
        secured.destroy();
        return;
      }
      ready(secured);
    },
  );
  tls.on("tlsClientError", (err) => log.debug("plugin connection failed", { error: err.message }));
  return (socket) => tls.emit("connection", socket);
}
