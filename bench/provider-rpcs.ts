// What each resource costs the provider process in a plan, without the CLI: a client that speaks to the shipped
// executable as the plan's last provider process is spoken to (GetProviderSchema, ConfigureProvider, then per
// resource UpgradeResourceState, ReadResource with its API GET, ValidateResourceConfig, PlanResourceChange; 10 at a
// time, as the CLI's default parallelism), against the real API on SQLite. Each RPC is measured over its first N
// calls in a fresh process — cold code, as in a plan — as the provider's CPU time (Linux /proc/PID/schedstat), and
// the API server's CPU for the GETs; and, for the start-up, the CPU from exec to GetProviderSchema, ValidateProviderConfig
// and ConfigureProvider answered, and each RPC's first call alone. With several executables (e.g. main's and this branch's), they are measured
// in turn, round after round, so that they share the machine's load. Also the CPU of all the provider's threads
// (V8's compiler and GC workers too: /proc/PID/schedstat alone is the main thread's) and, after the n resources,
// Shutdown → exit, as in the plan's last process, where background compile jobs may still be running.
//   npx tsx bench/provider-rpcs.ts [--n 100] [--rounds 3] [NAME=EXECUTABLE ...]   (default: builds this checkout's)
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import { decode, encode } from "@msgpack/msgpack";
import { serviceDefinition } from "../provider/protocol/proto/services.ts";
import { createAccount, startApiServer, type ApiServer } from "../test/helpers/api-server.ts";
import { median } from "./median.ts";
import { buildExecutable, clientIdentity } from "./provider-process.ts";

const COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
const TYPE = "iamsession_account_settings";
const NULL_STATE = {
  id: null,
  account_id: null,
  max_sessions_per_identity: null,
  session_expiration_in_seconds: null,
  session_invalidation_in_seconds: null,
  max_sessions_exceeded_action: null,
  entity_tag: null,
  destroy_behavior: null,
};
const NULL_PROVIDER_CONFIG = { endpoint: null, token: null, timeout_seconds: null, max_retries: null };
/** In the order the CLI calls them for a resource in state. */
export const RPCS = ["UpgradeResourceState", "ReadResource", "ValidateResourceConfig", "PlanResourceChange"] as const;
type Rpc = (typeof RPCS)[number];

export interface ProviderRpcsResult {
  name: string;
  /** Provider CPU per call, ms, per RPC (the first n calls in a fresh process). */
  cpuMsPerCall: Record<Rpc, number>;
  /** All four: the provider's CPU per resource. */
  cpuMsPerResource: number;
  /** The API server's CPU per ReadResource (its GET). */
  apiCpuMsPerRead: number;
  /** Provider CPU from exec to GetProviderSchema, ValidateProviderConfig and ConfigureProvider answered, ms. */
  startupCpuMs: number;
  /** Its lowest and highest over the rounds. */
  startupCpuRangeMs: [number, number];
  /** Provider CPU of each RPC's first call in the process (cold code), ms. */
  firstCallCpuMs: Record<Rpc, number>;
  /** The provider's CPU per resource over the four RPCs in all its threads (V8's compiler and GC threads too). */
  threadsCpuMsPerResource: number;
  /** Shutdown sent → process gone, after the n resources' RPCs (the plan's third process: hot code, compile jobs). */
  exitMs: number;
  /** Fastest and slowest of the rounds, for the two above. */
  threadsCpuMsRange: [number, number];
  exitMsRange: [number, number];
}

/** CPU time a process has run so far, in ms (the first field of schedstat is nanoseconds on a CPU). */
const cpuMs = (pid: number) => Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
/** The same summed over all the process's threads (/proc/PID/schedstat is its main thread's alone). */
const threadsCpuMs = (pid: number) =>
  readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + cpuMs(Number(tid)), 0);

type Call = (rpc: string, request: object) => Promise<Record<string, any>>;

async function startSession(exe: string, env: NodeJS.ProcessEnv, identity: { cert: string; key: string }) {
  const def = serviceDefinition("tfplugin6.Provider") as Record<string, grpc.MethodDefinition<object, object>>;
  const child: ChildProcess = spawn(exe, [], {
    env: { ...env, TF_PLUGIN_MAGIC_COOKIE: COOKIE, PLUGIN_PROTOCOL_VERSIONS: "6", PLUGIN_MIN_PORT: "10000", PLUGIN_MAX_PORT: "25000", PLUGIN_CLIENT_CERT: identity.cert },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    child.once("exit", (code) => reject(new Error(`${exe} exited ${code} before its handshake`)));
  });
  const [, , , socket, , certB64] = line.split("|");
  const der = Buffer.from(certB64!, "base64");
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString("base64").replace(/.{1,64}/g, "$&\n")}-----END CERTIFICATE-----\n`;
  const creds = grpc.credentials.createSsl(Buffer.from(pem), Buffer.from(identity.key), Buffer.from(identity.cert));
  const client = new grpc.Client(`unix://${socket}`, creds, { "grpc.ssl_target_name_override": "localhost", "grpc.default_authority": "localhost" });
  const call: Call = (rpc, request) =>
    new Promise((resolve, reject) => {
      const m = def[rpc]!;
      client.makeUnaryRequest(m.path, m.requestSerialize, m.responseDeserialize, request, (err, res) =>
        err ? reject(err) : resolve(res as Record<string, any>),
      );
    });
  await call("GetProviderSchema", {});
  await call("ValidateProviderConfig", { config: { msgpack: encode(NULL_PROVIDER_CONFIG) } });
  await call("ConfigureProvider", { terraform_version: "1.11.4", config: { msgpack: encode(NULL_PROVIDER_CONFIG) } });
  const startupCpuMs = cpuMs(child.pid!);
  /** As the CLI ends a provider: Shutdown, close the connection, wait for the exit; returns Shutdown → exit, ms. */
  const close = async () => {
    const t0 = performance.now();
    await new Promise((r) => client.makeUnaryRequest("/plugin.GRPCController/Shutdown", (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), r));
    client.close();
    const gone = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(r, 3000, false))]);
    const ms = performance.now() - t0;
    child.kill("SIGKILL");
    if (!gone) throw new Error(`${exe} did not exit within 3 s of Shutdown`);
    return ms;
  };
  return { pid: child.pid!, call, close, startupCpuMs };
}

/** Each resource's four requests as the CLI sends them, from its state as a first ReadResource returned it. */
async function requestsFor(call: Call, accountId: string): Promise<Record<Rpc, object>> {
  const first = await call("ReadResource", { type_name: TYPE, current_state: { msgpack: encode({ ...NULL_STATE, id: accountId, account_id: accountId }) } });
  const state = decode(first.new_state.msgpack) as Record<string, unknown>;
  const config = { ...NULL_STATE, account_id: accountId, session_invalidation_in_seconds: "1800" };
  const proposed = { ...state, account_id: accountId, session_invalidation_in_seconds: "1800" };
  return {
    UpgradeResourceState: { type_name: TYPE, version: 1, raw_state: { json: Buffer.from(JSON.stringify(state)) } },
    ReadResource: { type_name: TYPE, current_state: first.new_state, private: Buffer.alloc(0) },
    ValidateResourceConfig: { type_name: TYPE, config: { msgpack: encode(config) } },
    PlanResourceChange: {
      type_name: TYPE,
      prior_state: first.new_state,
      proposed_new_state: { msgpack: encode(proposed) },
      config: { msgpack: encode(config) },
      prior_private: Buffer.alloc(0),
    },
  };
}

export async function runProviderRpcsBench(
  opts: { n?: number; rounds?: number; executables?: Record<string, string>; onResult?: (r: ProviderRpcsResult) => void } = {},
): Promise<ProviderRpcsResult[]> {
  const n = opts.n ?? 100;
  const rounds = opts.rounds ?? 3;
  const executables = opts.executables ?? { this: buildExecutable() };
  const identity = clientIdentity();
  // A provider killed on a failure path cannot remove its socket directory: they all go in this one, removed after.
  const socketDir = mkdtempSync(join(tmpdir(), "bench-plugin-"));
  let server: ApiServer | undefined;
  try {
    server = await startApiServer();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PLUGIN_UNIX_SOCKET_DIR: socketDir,
      IAMSESSION_ENDPOINT: server.url,
      IAMSESSION_TOKEN: server.adminToken,
    };
    const accounts: string[] = [];
    for (let i = 0; i < n; i++) accounts.push((await createAccount(server, { accountId: `rpcs-${i}` })).account_id);
    // The requests are made once, by a process of its own, so that every measured process starts cold.
    const prep = await startSession(Object.values(executables)[0]!, env, identity);
    const requests = await Promise.all(accounts.map((id) => requestsFor(prep.call, id)));
    await prep.close();

    const samples: Record<string, { rpc: Record<Rpc, number[]>; first: Record<Rpc, number[]>; api: number[]; startup: number[]; threads: number[]; exit: number[] }> = {};
    for (let round = 0; round < rounds; round++) {
      for (const [name, exe] of Object.entries(executables)) {
        const s = await startSession(exe, env, identity);
        const mine = (samples[name] ??= {
          rpc: { UpgradeResourceState: [], ReadResource: [], ValidateResourceConfig: [], PlanResourceChange: [] },
          first: { UpgradeResourceState: [], ReadResource: [], ValidateResourceConfig: [], PlanResourceChange: [] },
          api: [],
          startup: [],
          threads: [],
          exit: [],
        });
        mine.startup.push(s.startupCpuMs);
        const threads0 = threadsCpuMs(s.pid);
        for (const rpc of RPCS) {
          const api0 = cpuMs(server.pid!);
          const cpu0 = cpuMs(s.pid);
          // The first call alone (cold code), then the others 10 at a time; all n count for the per-call figure.
          const [first, ...rest] = requests;
          await s.call(rpc, first![rpc]);
          mine.first[rpc].push(cpuMs(s.pid) - cpu0);
          const queue = [...rest];
          await Promise.all(
            Array.from({ length: 10 }, async () => {
              for (let r; (r = queue.shift()); ) await s.call(rpc, r[rpc]);
            }),
          );
          mine.rpc[rpc].push((cpuMs(s.pid) - cpu0) / n);
          if (rpc === "ReadResource") mine.api.push((cpuMs(server.pid!) - api0) / n);
        }
        mine.threads.push((threadsCpuMs(s.pid) - threads0) / n);
        mine.exit.push(await s.close());
      }
    }
    const results = Object.entries(samples).map(([name, s]): ProviderRpcsResult => {
      const cpuMsPerCall = Object.fromEntries(RPCS.map((rpc) => [rpc, median(s.rpc[rpc])])) as Record<Rpc, number>;
      return {
        name,
        cpuMsPerCall,
        cpuMsPerResource: RPCS.reduce((sum, rpc) => sum + cpuMsPerCall[rpc], 0),
        apiCpuMsPerRead: median(s.api),
        startupCpuMs: median(s.startup),
        startupCpuRangeMs: [Math.min(...s.startup), Math.max(...s.startup)],
        firstCallCpuMs: Object.fromEntries(RPCS.map((rpc) => [rpc, median(s.first[rpc])])) as Record<Rpc, number>,
        threadsCpuMsPerResource: median(s.threads),
        exitMs: median(s.exit),
        threadsCpuMsRange: [Math.min(...s.threads), Math.max(...s.threads)],
        exitMsRange: [Math.min(...s.exit), Math.max(...s.exit)],
      };
    });
    for (const r of results) opts.onResult?.(r);
    return results;
  } finally {
    await server?.dispose();
    rmSync(socketDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values, positionals } = parseArgs({ options: { n: { type: "string" }, rounds: { type: "string" } }, allowPositionals: true });
  const executables = positionals.length ? Object.fromEntries(positionals.map((p) => p.split(/=(.*)/s).slice(0, 2))) : undefined;
  await runProviderRpcsBench({
    n: values.n ? Number(values.n) : undefined,
    rounds: values.rounds ? Number(values.rounds) : undefined,
    executables,
    onResult: (r) =>
      console.log(
        `${r.name}: provider CPU per resource ${r.cpuMsPerResource.toFixed(2)} ms (` +
          RPCS.map((rpc) => `${rpc} ${r.cpuMsPerCall[rpc].toFixed(2)}`).join(", ") +
          `), all threads ${r.threadsCpuMsPerResource.toFixed(2)} ms (${r.threadsCpuMsRange.map((x) => x.toFixed(2)).join("–")}); ` +
          `API server CPU per read ${r.apiCpuMsPerRead.toFixed(2)} ms; ` +
          `Shutdown → exit ${r.exitMs.toFixed(1)} ms (${r.exitMsRange.map((x) => x.toFixed(1)).join("–")}); start-up CPU ${r.startupCpuMs.toFixed(1)} ms ` +
          `(${r.startupCpuRangeMs.map((x) => x.toFixed(1)).join("–")}), ` +
          `first call ` + RPCS.map((rpc) => `${rpc} ${r.firstCallCpuMs[rpc].toFixed(2)}`).join(", ") + " ms",
      ),
  });
}
