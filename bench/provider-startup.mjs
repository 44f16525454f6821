#!/usr/bin/env node
// Start-up time of the built provider: from exec to its handshake line on stdout, with the environment the CLIs
// give it (magic cookie, protocol versions, client certificate → AutoMTLS). The CLIs start a provider 2–5 times
// per command, so this is paid repeatedly. `node -e 0` (exec to exit) is measured in the same run as a baseline.
//
//   npm run build && node bench/provider-startup.mjs [runs=20] [binary=dist/terraform-provider-iamsession]
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";

const runs = Number(process.argv[2] ?? 20);
const built = resolve(process.argv[3] ?? "dist/terraform-provider-iamsession");
// Run it as the CLIs do: a copy named like the installed package (`_v0.1.0`, loaded as CommonJS), not from
// dist/ (inside this "type": "module" package, where Node would load it as ESM, a slower path).
const dir = mkdtempSync(join(tmpdir(), "provider-startup-"));
const binary = join(dir, `${basename(built)}_v0.0.0`);
copyFileSync(built, binary);
chmodSync(binary, 0o755);
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

// A client certificate like the CLI's (any valid self-signed certificate does for start-up timing).
function clientCertPem() {
  try {
    return execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "/dev/null",
        "-subj", "/CN=localhost", "-days", "1"],
      { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] },
    );
  } catch {
    return undefined; // no openssl: measure without TLS
  }
}

const env = {
  PATH: process.env.PATH,
  TF_PLUGIN_MAGIC_COOKIE: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  PLUGIN_PROTOCOL_VERSIONS: "5,6",
  PLUGIN_MIN_PORT: "10000",
  PLUGIN_MAX_PORT: "25000",
};
const cert = clientCertPem();
if (cert) env.PLUGIN_CLIENT_CERT = cert;

function untilHandshake() {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(binary, [], { env, stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        child.kill("SIGKILL");
        if (!/^1\|6\|unix\|/.test(out)) fail(new Error(`unexpected handshake: ${out}`));
        else done(ms);
      }
    });
    child.on("exit", (code) => {
      if (!out.includes("\n")) fail(new Error(`provider exited ${code} before its handshake`));
    });
  });
}

function nodeBaseline() {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    spawn(process.execPath, ["-e", "0"], { stdio: "ignore" }).on("exit", () =>
      done(Number(process.hrtime.bigint() - t0) / 1e6),
    );
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const provider = [];
const baseline = [];
await untilHandshake(); // warm the file cache
for (let i = 0; i < runs; i++) {
  provider.push(await untilHandshake());
  baseline.push(await nodeBaseline());
}
const p = median(provider);
const b = median(baseline);
console.log(
  JSON.stringify({ runs, tls: !!cert, providerHandshakeMedianMs: +p.toFixed(1), nodeBaselineMedianMs: +b.toFixed(1), ratio: +(p / b).toFixed(2) }),
);
