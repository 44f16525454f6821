// A TLS-terminating proxy on 127.0.0.1 in front of a plain-HTTP server (the real API, whose own listener speaks only
// HTTP): each TLS connection, once its handshake succeeds, is piped byte for byte to a new TCP connection to the
// target. It counts handshakes, so a test can tell how often a client tried, and refusals (a client that hung up
// during the handshake), which never reach the target.
import { connect } from "node:net";
import type { AddressInfo, Socket } from "node:net";
import { createServer } from "node:tls";
import type { ServerCertificate } from "./test-ca.ts";

export interface TlsFront {
  /** e.g. https://127.0.0.1:41234 (no trailing slash, like ApiServer.url). */
  readonly url: string;
  /** Handshakes that succeeded (each then forwarded). */
  secured(): number;
  /** Handshakes that did not complete: the client refused the certificate (or hung up). */
  refused(): number;
  close(): Promise<void>;
}

export async function startTlsFront(target: string, certificate: ServerCertificate): Promise<TlsFront> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  let secured = 0;
  let refused = 0;
  const server = createServer({ key: certificate.key, cert: certificate.cert }, (client) => {
    secured++;
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.once("close", () => sockets.delete(s));
    }
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.pipe(upstream).pipe(client);
  });
  server.on("tlsClientError", (_err, socket) => {
    refused++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${address.port}`,
    secured: () => secured,
    refused: () => refused,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
