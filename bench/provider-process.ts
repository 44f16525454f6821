// The cost of one provider process, which the CLIs pay 3 times per plan and 4 per apply:
//   - start-up: exec → handshake line on stdout, with the environment the CLIs give (magic cookie, protocol
//     versions, PLUGIN_CLIENT_CERT → AutoMTLS), against `node -e 0` of the same Node binary the single executable
//     is made from (the floor: Node's own start-up) and of the machine's `node`;
//   - first answer: exec → the first RPC (Health/Check) answered over mTLS. The provider prints the handshake line
//     before it loads gRPC and the rest, so this is the number that says what a process costs the CLI in total;
//   - exit: plugin.GRPCController/Shutdown sent → process gone (the CLI waits for it), over the real mTLS gRPC
//     connection, after a first call has opened it.
//   npx tsx bench/provider-process.ts [--runs 20] [--binary PATH] [--baseline OLD ...]
//   (default: builds the single executable; each --baseline executable is measured in turn with it, run by run)
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

export interface ProviderProcessResult {
  runs: number;
  binary: string;
  handshakeMs: number;
  nodeFloorMs: number;
  systemNodeMs: number;
  /** exec → Health/Check answered (connection, TLS handshake and the gRPC server included). */
  firstAnswerMs: number;
  shutdownToExitMs: number;
}

/** A client certificate and key like the CLI's (self-signed P-256, CA). */
export function clientIdentity(): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), "bench-client-"));
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=localhost", "-days", "1"], { stdio: "ignore" });
    return { cert: readFileSync(join(dir, "cert.pem"), "utf8"), key: readFileSync(join(dir, "key.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const since = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

function execToExit(file: string, args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    spawn(file, args, { stdio: "ignore" }).on("exit", () => done(since(t0))).on("error", fail);
  });
}

interface Started {
  t0: bigint;
  ms: number;
  line: string;
  child: ReturnType<typeof spawn>;
  exited: Promise<bigint>;
}

function startProvider(binary: string, env: NodeJS.ProcessEnv): Promise<Started> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binary, [], { env, stdio: ["ignore", "pipe", "ignore"] });
    const exited = new Promise<bigint>((resolve) => child.on("exit", () => resolve(process.hrtime.bigint())));
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        const line = out.split("\n")[0]!;
        if (!/^1\|6\|unix\|/.test(line)) fail(new Error(`unexpected handshake: ${line}`));
        else done({ t0, ms: since(t0), line, child, exited });
      }
    });
    child.on("exit", (code) => {
      if (!out.includes("\n")) fail(new Error(`provider exited ${code} before its handshake`));
    });
  });
}

function unary(client: grpc.Client, path: string): Promise<bigint> {
  return new Promise((done, fail) =>
    client.makeUnaryRequest(path, (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), (err) =>
      err ? fail(err) : done(process.hrtime.bigint()),
    ),
  );
}

/** Starts the provider, times exec → first answer (Health/Check over mTLS), then Shutdown → exit. */
export async function shutdownToExit(
  binary: string,
  env: NodeJS.ProcessEnv,
  identity: { cert: string; key: string },
): Promise<{ firstAnswerMs: number; exitMs: number }> {
  const { t0: started, line, exited } = await startProvider(binary, env);
  const [, , , socket, , certB64] = line.split("|");
  const der = Buffer.from(certB64!, "base64"); // unpadded in the handshake line
  const serverPem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
  const creds = grpc.credentials.createSsl(Buffer.from(serverPem), Buffer.from(identity.key), Buffer.from(identity.cert));
  const client = new grpc.Client(`unix://${socket}`, creds, { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" });
  try {
    const answered = await unary(client, "/grpc.health.v1.Health/Check");
    const t0 = process.hrtime.bigint();
    // As go-plugin's GRPCClient.Close does: Shutdown, then close the connection, then wait for the process.
    await unary(client, "/plugin.GRPCController/Shutdown").catch(() => undefined); // the reply may race the exit
    client.close();
    return { firstAnswerMs: Number(answered - started) / 1e6, exitMs: Number((await exited) - t0) / 1e6 };
  } finally {
    client.close();
  }
}

export function buildExecutable(): string {
  const platform = execFileSync(process.execPath, [join(ROOT, "scripts/node-runtime.mjs"), "--host-platform"], { encoding: "utf8" }).trim();
  return execFileSync(process.execPath, [join(ROOT, "scripts/build-sea.mjs"), "--platform", platform], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
  }).trim();
}

export async function runProviderProcessBench(opts: { runs?: number; binary?: string } = {}): Promise<ProviderProcessResult> {
  return (await compareProviderProcesses({ ...opts, binaries: [opts.binary ?? buildExecutable()] }))[0]!;
}

/**
 * Measures each executable in turn within every run (A, B, A, B, …), each run with its own floor measurement, so
 * a machine whose load changes during the benchmark weighs on all of them alike: the way to compare a change.
 */
export async function compareProviderProcesses(opts: { runs?: number; binaries: string[] }): Promise<ProviderProcessResult[]> {
  const runs = opts.runs ?? 20;
  const node24 = execFileSync(process.execPath, [join(ROOT, "scripts/node-runtime.mjs")], { encoding: "utf8" }).trim();
  const identity = clientIdentity();
  // Killed providers (most runs end so) cannot remove their socket directories: they go in this one, removed after.
  const socketDir = mkdtempSync(join(tmpdir(), "bench-plugin-"));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PLUGIN_UNIX_SOCKET_DIR: socketDir,
    TF_PLUGIN_MAGIC_COOKIE: COOKIE,
    PLUGIN_PROTOCOL_VERSIONS: "5,6",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    PLUGIN_CLIENT_CERT: identity.cert,
  };
  const kill = async (s: Started) => {
    s.child.kill("SIGKILL");
    await s.exited;
  };
  const samples = opts.binaries.map((binary) => ({
    binary,
    handshake: [] as number[],
    floor: [] as number[],
    systemNode: [] as number[],
    exit: [] as number[],
    firstAnswer: [] as number[],
  }));
  try {
    for (const { binary } of samples) {
      await kill(await startProvider(binary, env)); // warm the file cache (and the per-user code cache)
      await shutdownToExit(binary, env, identity);
    }
    for (let i = 0; i < runs; i++) {
      for (const m of samples) {
        const s = await startProvider(m.binary, env);
        m.handshake.push(s.ms);
        await kill(s);
        m.floor.push(await execToExit(node24, ["-e", "0"]));
        m.systemNode.push(await execToExit("node", ["-e", "0"]));
        if (i < Math.max(5, runs / 2)) {
          const r = await shutdownToExit(m.binary, env, identity);
          m.firstAnswer.push(r.firstAnswerMs);
          m.exit.push(r.exitMs);
        }
      }
    }
  } finally {
    rmSync(socketDir, { recursive: true, force: true });
  }
  return samples.map((m) => ({
    runs,
    binary: m.binary,
    handshakeMs: median(m.handshake),
    nodeFloorMs: median(m.floor),
    systemNodeMs: median(m.systemNode),
    firstAnswerMs: median(m.firstAnswer),
    shutdownToExitMs: median(m.exit),
  }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({
    options: { runs: { type: "string" }, binary: { type: "string" }, baseline: { type: "string", multiple: true } },
  });
  const runs = values.runs ? Number(values.runs) : undefined;
  const binaries = [values.binary ?? buildExecutable(), ...(values.baseline ?? [])];
  for (const r of await compareProviderProcesses({ runs, binaries })) {
    console.log(JSON.stringify({ ...r, handshakeToFloor: Number((r.handshakeMs / r.nodeFloorMs).toFixed(2)) }));
  }
}
