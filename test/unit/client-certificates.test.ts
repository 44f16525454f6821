// The API client against HTTPS endpoints whose certificate it refuses (a real TLS proxy with a throwaway CA in front
// of a real HTTP server): the error says why, comes at once (no retry), and nothing reaches the server; and the
// provider's diagnostic for each kind of refusal says what to change.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CertificateError, IamsessionClient, type CertificateProblem } from "../../client/index.ts";
import { toDiagnostic } from "../../provider/iamsession/errors.ts";
import { createTestCa, type TestCa } from "../helpers/test-ca.ts";
import { startTlsFront, type TlsFront } from "../helpers/tls-front.ts";
import { REPO_ROOT } from "../helpers/tf.ts";

let ca: TestCa;
let backend: Server;
let received = 0;
const fronts: Record<"good" | "expired" | "wrongHost", TlsFront> = {} as never;

beforeAll(async () => {
  ca = createTestCa();
  backend = createServer((_req, res) => {
    received++;
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  const target = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  fronts.good = await startTlsFront(target, ca.issue("IP:127.0.0.1"));
  fronts.expired = await startTlsFront(target, ca.issue("IP:127.0.0.1", { days: -1 }));
  fronts.wrongHost = await startTlsFront(target, ca.issue("DNS:api.example.com"));
});
afterAll(async () => {
  await Promise.all(Object.values(fronts).map((f) => f.close()));
  await new Promise((resolve) => backend?.close(resolve));
  ca?.dispose();
});

const client = (endpoint: string) => new IamsessionClient({ endpoint, token: "iams_secret", timeoutMs: 5000, maxRetries: 3, retryBaseMs: 5 });

/** What the client says in a Node process that trusts the test CA (NODE_EXTRA_CA_CERTS is read at process start). */
function inProcessTrusting(endpoint: string): Promise<{ ok: true } | { problem: CertificateProblem; code: string; message: string }> {
  const script = `
    import { IamsessionClient } from ${JSON.stringify(join(REPO_ROOT, "client/index.ts"))};
    const c = new IamsessionClient({ endpoint: process.argv[1], token: "t", timeoutMs: 5000, maxRetries: 3, retryBaseMs: 5 });
    c.getAccountSettings("a").then(() => console.log(JSON.stringify({ ok: true })),
      (e) => console.log(JSON.stringify({ problem: e.problem, code: e.code, message: e.message })));`;
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, endpoint],
      { cwd: REPO_ROOT, env: { ...process.env, NODE_EXTRA_CA_CERTS: ca.caFile, NODE_OPTIONS: "" } },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(JSON.parse(stdout))),
    ),
  );
}

describe("a refused server certificate", () => {
  it("untrusted: a PUT fails at once with CertificateError, not retried, and nothing reaches the server", async () => {
    const before = { received, refused: fronts.good.refused(), secured: fronts.good.secured() };
    const err = await client(fronts.good.url).putAccountSettings("a", "t1", { max_sessions_per_identity: "3" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CertificateError);
    expect(err).toMatchObject({ problem: "untrusted", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", endpoint: fronts.good.url });
    expect((err as Error).message).toContain(`the TLS certificate of ${fronts.good.url} was refused`);
    expect((err as Error).message).not.toContain("iams_secret");
    // The proxy hears of the refusal when the client's reset arrives, just after; retries would have come before.
    await vi.waitFor(() => expect(fronts.good.refused() - before.refused).toBeGreaterThan(0));
    expect(fronts.good.refused() - before.refused).toBe(1);
    expect(fronts.good.secured() - before.secured).toBe(0);
    expect(received - before.received).toBe(0);
  });

  it("with the CA trusted: the good certificate is accepted; an expired one and one for another host are refused, each saying why", async () => {
    expect(await inProcessTrusting(fronts.good.url)).toEqual({ ok: true });
    expect(await inProcessTrusting(fronts.expired.url)).toMatchObject({ problem: "expired", code: "CERT_HAS_EXPIRED" });
    const wrong = await inProcessTrusting(fronts.wrongHost.url);
    expect(wrong).toMatchObject({ problem: "wrong_host", code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    expect((wrong as { message: string }).message).toContain("is not valid for the endpoint's host name");
  });
});

describe("the provider's diagnostic", () => {
  const endpoint = "https://api.example.com";
  const diagnostic = (problem: CertificateProblem, code: string) =>
    toDiagnostic(new CertificateError(endpoint, problem, code, "the reason Node gave"), "Reading the settings of account a");

  it.each([
    ["untrusted", "SELF_SIGNED_CERT_IN_CHAIN", "is not trusted", "set NODE_EXTRA_CA_CERTS to a PEM file holding that CA's certificate"],
    ["wrong_host", "ERR_TLS_CERT_ALTNAME_INVALID", "is for another host name", "Set `endpoint` to a host name the certificate names"],
    ["expired", "CERT_HAS_EXPIRED", "is expired or not yet valid", "check this machine's clock"],
    ["other", "CERT_REVOKED", "was refused", "was refused (CERT_REVOKED: the reason Node gave)"],
  ] as const)("%s (%s): names the endpoint, says why and what to change, and that nothing was sent", (problem, code, summary, remedy) => {
    const d = diagnostic(problem, code);
    expect(d.summary).toBe(`The TLS certificate of the iamsession API at ${endpoint} ${summary}`);
    expect(d.detail).toContain(`Reading the settings of account a failed: the provider's \`endpoint\` (or IAMSESSION_ENDPOINT) is ${endpoint}`);
    expect(d.detail).toContain(`${code}: the reason Node gave`);
    expect(d.detail).toContain(remedy);
    expect(d.detail).toMatch(/No request was sent, so nothing was changed\.$/);
  });
});
