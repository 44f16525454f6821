// The linux_arm64 single executable, RUN on this x86_64 machine under qemu-user (Debian's qemu-user-static, 7.2 in
// bookworm), with Debian's arm64 libc, libstdc++ and libgcc_s (the *-arm64-cross packages, in /usr/aarch64-linux-gnu):
// built as the release builds it (scripts/build-sea.mjs: Node 24's linux-arm64 binary with the SEA blob injected),
// started by hand, driven through the handshake, AutoMTLS and real RPCs, and run by both CLIs for a plan and an apply.
// Emulated, not arm64 hardware: this proves the file's code runs on an arm64 CPU as qemu models it, not on a real one.
// .ci/run installs qemu and the libraries; without them the tests are skipped locally and fail in CI.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateServerCertificate } from "../../provider/protocol/tls/cert.ts";
// @ts-expect-error: a plain ES module without declarations
import { layOutMirror } from "../../scripts/provider-mirror.mjs";
import { createAccount, createApiKey, getSettings, startApiServer, type ApiServer } from "../helpers/api-server.ts";
import { PROVIDER, unique } from "../helpers/e2e.ts";
import { CLI, mtlsClient, providerRpc, runProvider, unary, type RunOptions } from "../helpers/plugin-process.ts";
import { cliBinaries, cliConfig, isCi, makeWorkdir, onPath, REPO_ROOT, tf, tfOk, type Cli } from "../helpers/tf.ts";

const QEMU = onPath("qemu-aarch64-static");
const SYSROOT = "/usr/aarch64-linux-gnu"; // where Debian's *-arm64-cross packages put the arm64 libraries
const INSTALL = "apt-get install qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross";
const missing = !QEMU ? "qemu-aarch64-static is not on PATH" : !existsSync(join(SYSROOT, "lib/libstdc++.so.6")) ? `${SYSROOT} has no arm64 libstdc++` : "";
const { version: VERSION } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8"));
// Emulated, a process takes ~2 s to its handshake line and ~3 s to its exit (natively ~0.05 s to the line): more room
// than the default 20 s, for a loaded machine.
const TIMEOUT_MS = 60_000;

let tmp: string;
let executable: string; // the linux_arm64 executable
let cache: string; // XDG_CACHE_HOME of every arm64 run: the loader's per-user code cache goes there, named by arch

/** How to start the arm64 executable: qemu-user, with the arm64 libraries' root as the dynamic loader's prefix. */
const qemu = (): RunOptions => ({ command: { file: QEMU!, args: ["-L", SYSROOT, executable] }, timeoutMs: TIMEOUT_MS });
/** The code cache files the loader (sea-main.cjs) wrote under an XDG_CACHE_HOME at exit, named by Node's version and arch. */
const cacheFiles = (base: string) => (existsSync(join(base, "terraform-provider-iamsession")) ? readdirSync(join(base, "terraform-provider-iamsession")) : []);
/** The one a process whose process.arch was arm64 writes. */
const ARM64_CACHE = /-v24\.\d+\.\d+-arm64\.v8cache$/;

const skipped = !!missing && !isCi(); // in CI a missing qemu fails the tests instead (beforeAll)
describe.skipIf(skipped)(`linux_arm64 under qemu-user${skipped ? ` (skipped: ${missing}; ${INSTALL})` : ""}`, () => {
  beforeAll(() => {
    if (missing) throw new Error(`${missing}: CI must run the linux_arm64 executable (.ci/run installs it: ${INSTALL})`);
    tmp = mkdtempSync(join(tmpdir(), "iamsession-arm64-"));
    cache = join(tmp, "cache");
    executable = execFileSync(process.execPath, [join(REPO_ROOT, "scripts/build-sea.mjs"), "--platform", "linux_arm64", "--out", join(tmp, "sea")], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }).trim();
    // The real thing, not an x86_64 file that would run without qemu: the ELF header's e_machine is EM_AARCH64.
    const header = Buffer.alloc(20);
    const fd = openSync(executable, "r");
    try {
      readSync(fd, header, 0, 20, 0);
    } finally {
      closeSync(fd);
    }
    expect(header.readUInt16LE(18)).toBe(183);
  });
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const env = () => ({ XDG_CACHE_HOME: cache, PLUGIN_UNIX_SOCKET_DIR: tmp });

  it("started by hand: exits 1 saying it is a plugin, not a command, and nothing on stdout", async () => {
    const r = await runProvider(env(), undefined, qemu());
    expect(r.stderr).toMatch(/^This binary is a plugin .*terraform or tofu[^\n]*\n$/);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
  });

  it("handshake line, AutoMTLS, GetProviderSchema as the x86_64 build answers it, exit 0 on Shutdown", async () => {
    const client = generateServerCertificate(); // the CLI's, as PLUGIN_CLIENT_CERT
    const stranger = generateServerCertificate(); // not the CLI's: must get nothing
    /** GetProviderSchema from the process, and whether a client without the CLI's certificate was refused. */
    const drive = (answers: { schema?: unknown; strangerRefused?: unknown }) => async (line: string) => {
      const [, , , socket, , certB64] = line.split("|");
      const other = mtlsClient(`unix://${socket}`, certB64!, stranger);
      try {
        await unary(other, "/grpc.health.v1.Health/Check");
        answers.strangerRefused = "answered";
      } catch (err) {
        answers.strangerRefused = (err as grpc.ServiceError).code;
      } finally {
        other.close();
      }
      const conn = mtlsClient(`unix://${socket}`, certB64!, client);
      try {
        await unary(conn, "/grpc.health.v1.Health/Check");
        answers.schema = await providerRpc(conn, "GetProviderSchema", {});
        await unary(conn, "/plugin.GRPCController/Shutdown");
      } finally {
        conn.close();
      }
    };
    const handshake = { ...CLI, PLUGIN_CLIENT_CERT: client.certPem, ...env() };
    const arm64: { schema?: any; strangerRefused?: unknown } = {};
    const amd64: { schema?: any } = {};
    const r = await runProvider(handshake, drive(arm64), qemu());
    // Its only stderr: the refusal of the stranger, logged by the arm64 process itself.
    expect(r.stderr).toMatch(/^(\{"@level":"error","@message":"refused a plugin connection: the client did not present the CLI's certificate"[^\n]*\n)+$/);
    expect(r.stdout).toMatch(/^1\|6\|unix\|\/[^|\n]+\|grpc\|[A-Za-z0-9+/]+\n$/);
    expect(r.code).toBe(0);
    expect(arm64.strangerRefused).toBe(grpc.status.UNAVAILABLE);
    expect(Object.keys(arm64.schema.resource_schemas)).toContain("iamsession_account_settings");
    expect(arm64.schema.diagnostics ?? []).toEqual([]);
    const x86 = await runProvider({ ...handshake, XDG_CACHE_HOME: join(tmp, "cache-x86_64") }, drive(amd64));
    expect(x86.code).toBe(0);
    expect(arm64.schema).toEqual(amd64.schema);
    expect(cacheFiles(cache)).toContainEqual(expect.stringMatching(ARM64_CACHE));
  });

  describe.each(cliBinaries())("$name", (cli: Cli) => {
    let server: ApiServer;
    let configFile: string;
    beforeAll(async () => {
      server = await startApiServer();
      // The CLI (x86_64) installs and starts only a linux_amd64 package: this one's "executable" is a script that
      // runs the arm64 file under qemu. The CLI verifies the script's hash (the lock file's h1:), not the arm64
      // file's; what the CLI then talks to over the plugin protocol is the arm64 executable, emulated.
      const mirror = join(tmp, `mirror-${cli.name}`);
      const wrapper = join(tmp, "qemu-wrapper.sh");
      writeFileSync(wrapper, `#!/bin/sh\nexec ${QEMU} -L ${SYSROOT} ${executable} "$@"\n`, { mode: 0o755 });
      await layOutMirror({ dir: mirror, binary: wrapper, platform: "linux_amd64", version: VERSION });
      configFile = join(tmp, `cli-config-${cli.name}.tfrc`);
      writeFileSync(configFile, cliConfig(mirror));
    });
    afterAll(async () => {
      await server?.dispose();
    });

    // apply alone (it plans first): emulated, every provider process takes ~3 s from start to exit, and Terraform
    // starts 4 in turn for an apply (3 for a plan), so a separate plan and an empty plan would double the time.
    it("plans and applies, every provider process the emulated arm64 one, each exiting cleanly", async () => {
      const accountId = `acct-${unique()}`;
      await createAccount(server, { accountId });
      const key = await createApiKey(server, accountId, "administrator");
      const cliCache = join(tmp, `cache-${cli.name}`); // only these processes' code cache
      const wd = makeWorkdir(
        { "main.tf": `${PROVIDER}resource "iamsession_account_settings" "this" {\n  account_id = ${JSON.stringify(accountId)}\n  session_invalidation_in_seconds = "900"\n}\n` },
        { IAMSESSION_ENDPOINT: server.url, IAMSESSION_TOKEN: key.key, TF_CLI_CONFIG_FILE: configFile, TF_LOG: "debug", ...env(), XDG_CACHE_HOME: cliCache },
      );
      await tfOk(wd, cli, ["init", "-input=false"]);
      const apply = await tfOk(wd, cli, ["apply", "-input=false", "-auto-approve"]);
      expect(apply.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy");
      expect(apply.stdout).toContain("Apply complete! Resources: 1 added, 0 changed, 0 destroyed");
      expect(await getSettings(server, accountId)).toMatchObject({ session_invalidation_in_seconds: "900" });
      // go-plugin's client logs each process it starts and how it ended (at debug): each one the installed wrapper,
      // each exited by itself after Shutdown, none killed.
      const started = [...apply.stderr.matchAll(/plugin started: path=(\S+)/g)].map((m) => m[1]);
      expect(started.length).toBeGreaterThan(0);
      for (const path of started) expect(path).toMatch(/\/linux_amd64\/terraform-provider-iamsession_v[^/]+$/);
      const exited = [...apply.stderr.matchAll(/plugin process exited: .*/g)].map((m) => m[0]);
      expect(exited.length).toBe(started.length);
      for (const line of exited) expect(line).not.toMatch(/error=/);
      expect(apply.stderr).not.toMatch(/plugin failed to exit gracefully/);
      expect(cacheFiles(cliCache)).toContainEqual(expect.stringMatching(ARM64_CACHE));
    });
  });
});
