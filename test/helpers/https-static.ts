// A static HTTPS file server on 127.0.0.1 with a throwaway CA, for the network-mirror and registry tests: the CLIs
// only accept a network mirror or a registry over HTTPS, and Go programs on Linux trust the CA through SSL_CERT_FILE
// (`env: { SSL_CERT_FILE: server.caFile }`). Certificates come from test-ca.ts.
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join, normalize, sep } from "node:path";
import { createTestCa } from "./test-ca.ts";

export interface HttpsStatic {
  /** e.g. https://127.0.0.1:41234/ (with the trailing slash a network_mirror url needs). */
  url: string;
  /** The CA certificate (PEM) that signed the server's certificate. */
  caFile: string;
  /** Request paths served so far, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function serveHttpsStatic(root: string): Promise<HttpsStatic> {
  const ca = createTestCa();
  const certificate = ca.issue("IP:127.0.0.1");

  const requests: string[] = [];
  const server = createServer(
    certificate,
    (req, res) => {
      const path = decodeURIComponent(new URL(req.url ?? "/", "https://x").pathname);
      requests.push(path);
      const file = normalize(join(root, path));
      if (!file.startsWith(normalize(root) + sep) || req.method !== "GET") {
        res.writeHead(404).end();
        return;
      }
      try {
        if (!statSync(file).isFile()) throw new Error("not a file");
        const body = readFileSync(file);
        res.writeHead(200, {
          // Registry documents (`versions`, `download/OS/ARCH`) have no extension and are JSON.
          "content-type": file.endsWith(".zip") ? "application/zip" : /\.(sig|asc)$|SHA256SUMS$/.test(file) ? "application/octet-stream" : "application/json",
          "content-length": body.length,
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}/`,
    caFile: ca.caFile,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          ca.dispose();
          resolve();
        });
      }),
  };
}
