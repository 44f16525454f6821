// The provider's single executable (and the drift check, which shares client/) against an https:// endpoint: the
// real API behind a TLS-terminating proxy on 127.0.0.1 with a throwaway CA, driven by Terraform and OpenTofu. What it
// pins down is what the docs (templates/index.md.tmpl, "HTTPS endpoints") say the executable trusts: Node's bundled
// CA list, the PEM file NODE_EXTRA_CA_CERTS names in the CLI's environment, and with NODE_OPTIONS=--use-system-ca
// the system's store (on Linux the OpenSSL file SSL_CERT_FILE names) — and what it says when it trusts nothing.
// NODE_OPTIONS reaches the executable because its SEA config (scripts/build-sea.mjs) leaves `execArgvExtension` at
// Node's default, "env"; "none" would make the --use-system-ca case fail.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, createApiKey, getSettings, putSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { apiRequests, PROVIDER, runDrift, unique } from "../helpers/e2e.ts";
import { createTestCa, type TestCa } from "../helpers/test-ca.ts";
import { startTlsFront, type TlsFront } from "../helpers/tls-front.ts";
import { cliBinaries, makeWorkdir, tf, tfOk, type Cli, type Workdir } from "../helpers/tf.ts";

/**
 * The CA settings of the machine running the tests (this one sets NODE_EXTRA_CA_CERTS and SSL_CERT_FILE to the
 * system bundle) are replaced by each test's own: undefined removes a variable from the CLI's environment.
 */
const NO_CA_SETTINGS = {
  NODE_EXTRA_CA_CERTS: undefined,
  NODE_OPTIONS: undefined,
  NODE_USE_SYSTEM_CA: undefined,
  SSL_CERT_FILE: undefined,
  SSL_CERT_DIR: undefined,
};

function settings(accountId: string, idle: string): string {
  return `${PROVIDER}resource "iamsession_account_settings" "this" {\n  account_id = "${accountId}"\n  session_invalidation_in_seconds = "${idle}"\n}\n`;
}

describe.each(cliBinaries())("$name", (cli: Cli) => {
  let server: ApiServer;
  let ca: TestCa;
  /** A certificate for IP 127.0.0.1, issued by the test CA. */
  let front: TlsFront;
  /** A certificate of the same CA, for another host name. */
  let wrongHost: TlsFront;

  beforeAll(async () => {
    server = await startApiServer();
    ca = createTestCa();
    front = await startTlsFront(server.url, ca.issue("IP:127.0.0.1"));
    wrongHost = await startTlsFront(server.url, ca.issue("DNS:api.example.com"));
  });
  afterAll(async () => {
    await front?.close();
    await wrongHost?.close();
    ca?.dispose();
    await server?.dispose();
  });

  /** An account, its administrator key, and a workdir (initialised) whose CLI reaches the API through `endpoint`. */
  async function setup(endpoint: string, caSettings: NodeJS.ProcessEnv, idle = "900") {
    const accountId = `acct-${unique()}`;
    await createAccount(server, { accountId });
    const key = await createApiKey(server, accountId, "administrator", { name: "terraform-ci" });
    const env = { ...NO_CA_SETTINGS, ...caSettings, IAMSESSION_ENDPOINT: endpoint, IAMSESSION_TOKEN: key.key };
    const wd = makeWorkdir({ "main.tf": settings(accountId, idle) }, env);
    await tfOk(wd, cli, ["init", "-input=false"]);
    return { wd, accountId };
  }
  const trusted = () => ({ NODE_EXTRA_CA_CERTS: ca.caFile });
  const plan = (wd: Workdir, env: NodeJS.ProcessEnv = {}) => tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"], { env });
  const apply = (wd: Workdir, env: NodeJS.ProcessEnv = {}, extra: string[] = []) =>
    tf(wd, cli, ["apply", "-input=false", "-auto-approve", ...extra], { env });

  it("with NODE_EXTRA_CA_CERTS naming the CA: apply writes through HTTPS, then plan is empty", async () => {
    const { wd, accountId } = await setup(front.url, trusted());
    const before = front.secured();
    const applied = await apply(wd);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("900");
    const again = await plan(wd);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    // It went through the proxy's TLS, not around it.
    expect(front.secured()).toBeGreaterThan(before);
  });

  it("without it: plan and apply fail naming the endpoint, the untrusted certificate and NODE_EXTRA_CA_CERTS; nothing reaches the API", async () => {
    const { wd, accountId } = await setup(front.url, trusted());
    expect((await apply(wd)).code).toBe(0);
    // SSL_CERT_FILE alone (what Go programs, the CLIs among them, read) is not what Node trusts by default.
    const untrusted = { NODE_EXTRA_CA_CERTS: undefined, SSL_CERT_FILE: ca.caFile };
    const requests = apiRequests(server);
    const refused = front.refused();

    const planned = await plan(wd, untrusted);
    expect(planned.code).toBe(1);
    const said = planned.stderr.replace(/\s*│\s*/g, " ").replace(/\s+/g, " ");
    expect(said).toContain(`The TLS certificate of the iamsession API at ${front.url} is not trusted`);
    expect(said).toContain(`the provider's \`endpoint\` (or IAMSESSION_ENDPOINT) is ${front.url}`);
    expect(said).toContain("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    expect(said).toContain("set NODE_EXTRA_CA_CERTS to a PEM file holding that CA's certificate");
    expect(said).toContain("No request was sent, so nothing was changed.");
    expect(said).not.toContain("could not reach");
    // One read, one refused handshake: a certificate is not retried.
    expect(front.refused() - refused).toBe(1);

    // A change, without the refresh that would fail first: the write itself meets the certificate.
    writeFileSync(join(wd.dir, "main.tf"), settings(accountId, "1200"));
    const write = await apply(wd, untrusted, ["-refresh=false"]);
    expect(write.code).toBe(1);
    expect(write.stderr.replace(/\s*│\s*/g, " ")).toContain("is not trusted");
    expect(apiRequests(server)).toBe(requests);
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("900");
  });

  it("a certificate for another host name is refused even with its CA trusted, saying so", async () => {
    const { wd, accountId } = await setup(wrongHost.url, trusted());
    const requests = apiRequests(server);
    const planned = await plan(wd);
    expect(planned.code).toBe(2); // a create: plan reads nothing
    const applied = await apply(wd);
    expect(applied.code).toBe(1);
    const said = applied.stderr.replace(/\s*│\s*/g, " ").replace(/\s+/g, " ");
    expect(said).toContain(`The TLS certificate of the iamsession API at ${wrongHost.url} is for another host name`);
    expect(said).toContain("ERR_TLS_CERT_ALTNAME_INVALID");
    expect(said).toContain("Set `endpoint` to a host name the certificate names");
    expect(said).toContain("No request was sent, so nothing was changed.");
    expect(apiRequests(server)).toBe(requests);
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("NOT_SET");
  });

  it.each([
    ["NODE_OPTIONS=--use-system-ca", { NODE_OPTIONS: "--use-system-ca" }],
    ["NODE_USE_SYSTEM_CA=1", { NODE_USE_SYSTEM_CA: "1" }],
  ])("%s makes the executable trust the system's store (on Linux: the file SSL_CERT_FILE names)", async (_label, option) => {
    const { wd, accountId } = await setup(front.url, { ...option, SSL_CERT_FILE: ca.caFile });
    const applied = await apply(wd);
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    expect((await getSettings(server, accountId)).session_invalidation_in_seconds).toBe("900");
  });

  it("the drift check reads the history over HTTPS with the same NODE_EXTRA_CA_CERTS", async () => {
    const { wd, accountId } = await setup(front.url, trusted());
    expect((await apply(wd)).code).toBe(0);
    const person = await createApiKey(server, accountId, "administrator", { name: "console-operator" });
    const current = await getSettings(server, accountId);
    const changed = await putSettings(server, accountId, { session_invalidation_in_seconds: "3600" }, { token: person.key, ifMatch: current.entity_tag });
    expect(changed.status).toBe(200);

    const report = await runDrift(cli, wd);
    expect(report.code, report.stderr).toBe(2);
    expect(report.stdout).toContain('value on server: "3600"  (looser)');
    expect(report.stdout).toContain(`changed by:      ${person.id} (console-operator) of account ${accountId}`);
  });
});
