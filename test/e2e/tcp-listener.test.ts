// The provider's TCP listener (what windows_amd64 uses: provider/protocol/network.ts), run on Linux through its
// switch IAMSESSION_PLUGIN_NETWORK=tcp by the real CLIs against the real API: init, plan, apply, an empty plan,
// destroy. Both builds: the shipped single executable (the suite's mirror) and the plain bundle (dist/), each
// started by the CLI for every command, so start-up, the handshake's `tcp|127.0.0.1:PORT`, mTLS over TCP and the
// exit after Shutdown (the CLI closes first) are all the CLIs' own doing.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_SET } from "../../schemas/settings.ts";
// @ts-expect-error: a plain ES module without declarations
import { layOutMirror } from "../../scripts/provider-mirror.mjs";
import { createAccount, createApiKey, getSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { PROVIDER, unique } from "../helpers/e2e.ts";
import { cliBinaries, cliConfig, makeWorkdir, mirrorDir, REPO_ROOT, tf, tfOk, type Cli, type TfResult } from "../helpers/tf.ts";

/** The suite's mirror holds the single executable; the plain bundle gets a mirror of its own, made once. */
const BUILDS = [
  { build: "single executable", mirror: async () => mirrorDir() },
  {
    build: "plain bundle",
    mirror: async () => {
      const dir = join(mirrorDir(), "..", "mirror-plain-bundle");
      const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
      // Built by the global setup (scripts/build-provider.mjs), as the CLI runs it: `#!/usr/bin/env node`.
      await layOutMirror({ dir, binary: join(REPO_ROOT, "dist/terraform-provider-iamsession"), version });
      return dir;
    },
  },
];

/** The provider's own "plugin started" lines (@module=provider), which the CLI relays at TF_LOG=debug. */
function listeners(r: TfResult): Array<{ network: string; address: string }> {
  return [...r.stderr.matchAll(/plugin started: .*@module=provider.*/g)].map((m) => ({
    network: /network=(\S+)/.exec(m[0])?.[1] ?? "",
    address: /address=(\S+)/.exec(m[0])?.[1] ?? "",
  }));
}

/**
 * Every provider process of the command listened on 127.0.0.1 within the port range go-plugin's client sets, and
 * exited by itself, with 0, once told to (the CLI logs a process it had to kill, and a non-zero exit, at debug).
 */
function expectTcpOnly(r: TfResult): void {
  const seen = listeners(r);
  expect(seen.length, r.stderr).toBeGreaterThan(0);
  // go-plugin's client logs each process it starts ("plugin started: path=… pid=…"): each one said where it listens.
  expect(r.stderr.match(/plugin started: path=/g)?.length).toBe(seen.length);
  for (const { network, address } of seen) {
    expect(network).toBe("tcp");
    const [host, port] = address.split(":");
    expect(host).toBe("127.0.0.1");
    expect(Number(port)).toBeGreaterThanOrEqual(10000); // PLUGIN_MIN_PORT / PLUGIN_MAX_PORT of go-plugin's client
    expect(Number(port)).toBeLessThanOrEqual(25000);
  }
  const exited = [...r.stderr.matchAll(/plugin process exited: .*/g)].map((m) => m[0]);
  expect(exited.length).toBe(seen.length);
  for (const line of exited) expect(line).not.toMatch(/error=/);
  expect(r.stderr).not.toMatch(/plugin failed to exit gracefully/);
}

let server: ApiServer;
beforeAll(async () => {
  server = await startApiServer();
});
afterAll(async () => {
  await server?.dispose();
});

describe.each(BUILDS)("$build over TCP", ({ mirror }) => {
  let configFile: string;
  beforeAll(async () => {
    const dir = await mirror();
    configFile = join(dir, "..", `cli-config-${unique()}.tfrc`);
    writeFileSync(configFile, cliConfig(dir));
  });

  describe.each(cliBinaries())("$name", (cli: Cli) => {
    it("init, plan, apply, an empty plan and destroy, every provider process on 127.0.0.1", async () => {
      const accountId = `acct-${unique()}`;
      await createAccount(server, { accountId });
      const key = await createApiKey(server, accountId, "administrator");
      const wd = makeWorkdir(
        {
          "main.tf": `${PROVIDER}resource "iamsession_account_settings" "this" {\n  account_id = ${JSON.stringify(accountId)}\n  session_invalidation_in_seconds = "900"\n}\n`,
        },
        {
          IAMSESSION_ENDPOINT: server.url,
          IAMSESSION_TOKEN: key.key,
          IAMSESSION_PLUGIN_NETWORK: "tcp",
          TF_CLI_CONFIG_FILE: configFile,
          TF_LOG: "debug",
        },
      );
      await tfOk(wd, cli, ["init", "-input=false"]);

      const plan = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
      expect(plan.code, plan.stdout + plan.stderr).toBe(2);
      expect(plan.stdout).toContain("1 to add, 0 to change, 0 to destroy");
      expectTcpOnly(plan);

      const apply = await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
      expectTcpOnly(apply);
      expect(await getSettings(server, accountId)).toMatchObject({ session_invalidation_in_seconds: "900" });

      const again = await tf(wd, cli, ["plan", "-input=false", "-detailed-exitcode"]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expectTcpOnly(again);

      const destroy = await tfOk(wd, cli, ["destroy", "-input=false", "-auto-approve"]);
      expectTcpOnly(destroy);
      expect(await getSettings(server, accountId)).toMatchObject({ session_invalidation_in_seconds: NOT_SET });
    });
  });
});
