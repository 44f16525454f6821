// The provider binary against the real CLIs: installation from the filesystem mirror, the schema the CLIs read
// through the plugin protocol, validation, and the go-plugin start-up contract.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { providerSchemasJson } from "../../provider/framework/schema.ts";
import { createIamsessionProvider } from "../../provider/iamsession/provider.ts";
import { MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE } from "../../provider/protocol/handshake.ts";
import { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";
import { cliBinaries, makeWorkdir, providerExecutable, tf, tfInit, tfJson, tfOk } from "../helpers/tf.ts";

const BINARY = providerExecutable(); // the single executable, as shipped

const MAIN_TF = `
terraform {
  required_providers {
    iamsession = { source = "iamsession/iamsession" }
  }
}
provider "iamsession" {
  endpoint = "http://127.0.0.1:9"
}
# A resource, so the CLIs use (and validate) the provider configuration.
resource "iamsession_account_settings" "x" {
  account_id = "acc-1"
}
`;

const HOST = { terraform: "registry.terraform.io", tofu: "registry.opentofu.org" } as const;

describe.each(cliBinaries())("$name", (cli) => {
  it("init installs the provider from the mirror and writes the lock file", async () => {
    const wd = makeWorkdir({ "main.tf": MAIN_TF });
    await tfInit(wd, cli);
    const lock = readFileSync(join(wd.dir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain(`provider "${HOST[cli.name]}/iamsession/iamsession"`);
    expect(lock).toMatch(/version\s*=\s*"0\.1\.0"/);
    expect(lock).toMatch(/"h1:[A-Za-z0-9+/=]+"/);
  });

  it("providers schema -json is what providerSchemasJson() says", async () => {
    const wd = makeWorkdir({ "main.tf": MAIN_TF });
    await tfInit(wd, cli);
    const schema = await tfJson(wd, cli, ["providers", "schema", "-json"]);
    expect(schema).toEqual(
      providerSchemasJson(createIamsessionProvider({}), `${HOST[cli.name]}/iamsession/iamsession`),
    );
  });

  it("validate accepts a valid configuration and points at a bad attribute", async () => {
    const wd = makeWorkdir({ "main.tf": MAIN_TF });
    await tfInit(wd, cli);
    const ok = await tfOk(wd, cli, ["validate"]);
    expect(ok.stdout).toContain("The configuration is valid");

    const bad = makeWorkdir({ "main.tf": MAIN_TF.replace("http://127.0.0.1:9", "not a url") });
    await tfInit(bad, cli);
    const failed = await tf(bad, cli, ["validate"]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/endpoint/);
    expect(failed.stderr).toMatch(/main\.tf line 8/);
  });
});

function runBinary(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; firstLine?: string }> {
  // Stopped with SIGTERM after its first line, the provider removes its socket directory itself (the run's temp-dir
  // guard would report one left behind).
  return new Promise((resolve) => {
    const child = spawn(BINARY, [], {
      env: { PATH: process.env.PATH, TMPDIR: process.env.TMPDIR, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let firstLine: string | undefined;
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      if (firstLine === undefined && stdout.includes("\n")) {
        firstLine = stdout.slice(0, stdout.indexOf("\n"));
        child.kill("SIGTERM");
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, firstLine });
    });
  });
}

describe("the provider binary", () => {
  it("started by hand, says it is a plugin and exits 1", async () => {
    const r = await runBinary({});
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("This binary is a plugin");
    expect(r.stderr).toMatch(/terraform or tofu/);
  });

  it("prints one handshake line with its certificate (AutoMTLS)", async () => {
    const client = generateServerCertificate();
    const r = await runBinary({
      [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE,
      PLUGIN_PROTOCOL_VERSIONS: "5,6",
      PLUGIN_CLIENT_CERT: client.certPem,
    });
    const parts = r.firstLine!.split("|");
    expect(parts.slice(0, 3)).toEqual(["1", "6", "unix"]);
    expect(parts[4]).toBe("grpc");
    expect(parts).toHaveLength(6);
    expect(parts[5]).not.toMatch(/=/); // unpadded
    const cert = new X509Certificate(Buffer.from(parts[5]!, "base64"));
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.ca).toBe(true);
    expect(r.stdout).toBe(r.firstLine + "\n"); // nothing else on stdout
  });

  it("without TLS leaves the certificate field empty", async () => {
    const r = await runBinary({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "6" });
    expect(r.firstLine).toMatch(/^1\|6\|unix\|\/.+\|grpc\|$/);
  });

  it("refuses a CLI that does not offer protocol 6", async () => {
    const r = await runBinary({ [MAGIC_COOKIE_KEY]: MAGIC_COOKIE_VALUE, PLUGIN_PROTOCOL_VERSIONS: "5" });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/protocol 6/);
  });
});
