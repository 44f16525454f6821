// A throwaway certificate authority for tests that need HTTPS on 127.0.0.1: a CA certificate (the PEM file a client
// is told to trust) and server certificates it issues for given subject alternative names. Made with the openssl
// command, EC P-256, valid for one day unless asked otherwise; dispose() removes the directory.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ServerCertificate {
  key: Buffer;
  cert: Buffer;
}

export interface TestCa {
  /** The CA certificate (PEM) that signed every certificate issue() makes. */
  caFile: string;
  /**
   * A server certificate for `subjectAltName`, e.g. "IP:127.0.0.1" or "DNS:api.example.com", valid for `days`
   * (default 1; -1 gives one that expired a day before it became valid, i.e. expired now).
   */
  issue(subjectAltName: string, opts?: { days?: number }): ServerCertificate;
  dispose(): void;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

export function createTestCa(): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "iamsession-ca-"));
  try {
    openssl(["req", "-x509", ...EC, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=iamsession test CA",
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"], dir);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true }); // no CA to dispose of
    throw err;
  }
  let issued = 0;
  return {
    caFile: join(dir, "ca.pem"),
    issue(subjectAltName, opts = {}) {
      const name = `server-${++issued}`;
      const cn = subjectAltName.replace(/^(IP|DNS):/, "");
      openssl(["req", ...EC, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`], dir);
      writeFileSync(join(dir, `${name}.cnf`), `subjectAltName=${subjectAltName}\nextendedKeyUsage=serverAuth\n`);
      openssl(["x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", String(opts.days ?? 1), "-extfile", `${name}.cnf`, "-out", `${name}.pem`], dir);
      return { key: readFileSync(join(dir, `${name}.key`)), cert: readFileSync(join(dir, `${name}.pem`)) };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
