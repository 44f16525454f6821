// The main script of the provider's single executable (Node SEA). It first runs listen-early.cjs, a small script
// that listens and prints the handshake line, so the line does not wait for the provider bundle to be compiled;
// the bundle then takes over that listener. The provider bundle itself is an asset: this loader compiles it with
// a V8 code cache kept in the user's cache directory, written by the first run on the
// machine and reused by every later one (start-up without it: ~20 ms more per process, paid 3–5 times a plan).
// The cache is not built into the executable because V8 code caches are not byte-identical from one build to the
// next, and a release must be reproducible. V8 checks a cache against the source and its own version and flags,
// and rejects a stale or foreign one (the bundle is then compiled normally and the cache rewritten).
//
// No V8 or Node options are set, here (v8.setFlagsFromString, which takes effect for the tiering flags: V8 reads
// them when a function gets hot) or in the SEA config's execArgv (needed for the thread pool's size, which exists
// before this script runs). Measured against plans of 1 and 100 resources: --no-opt and --no-opt --no-maglev made
// them slower (the optimising tiers pay for themselves even in these short-lived processes), --no-concurrent-
// recompilation, --single-threaded and --v8-pool-size=1 or 2 no faster (README, "plan overhead").
"use strict";
const { getAsset } = require("node:sea");
const vm = require("node:vm");
const fs = require("node:fs");
const path = require("node:path");

/** Runs a CommonJS asset (`filename` is what stack traces show); returns the script and its exports. */
function runAsset(name, filename, cachedData) {
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${getAsset(name, "utf8")}\n})`;
  const script = new vm.Script(wrapped, { filename, cachedData });
  const module_ = { exports: {} };
  script.runInThisContext()(module_.exports, require, module_, process.execPath, path.dirname(process.execPath));
  return { script, exports: module_.exports };
}

/** Start-up failures are one line on stderr (stdout carries only the handshake line). */
function failed(err) {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`terraform-provider-iamsession: failed to start: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(1);
}

let listening;
try {
  listening = runAsset("listen-early.cjs", "terraform-provider-iamsession-listen.js").exports.listening;
} catch (err) {
  failed(err);
}
// A failed listen is reported by the bundle, which awaits the same listener: run it either way.
listening.then(runProvider, runProvider);

/** The per-user cache directory (never a shared one such as /tmp: a cache is code). */
function cacheDir() {
  const env = process.env;
  if (env.IAMSESSION_PROVIDER_CODE_CACHE === "0") return undefined;
  let base;
  if (process.platform === "win32") base = env.LOCALAPPDATA;
  else if (process.platform === "darwin") base = env.HOME && path.join(env.HOME, "Library", "Caches");
  else base = env.XDG_CACHE_HOME || (env.HOME && path.join(env.HOME, ".cache"));
  return base ? path.join(base, "terraform-provider-iamsession") : undefined;
}

function runProvider() {
  // sha256 of the bundle and this loader (V8 rejects a cache from another source or other flags): one cache file
  // per provider build.
  const bundleId = getAsset("bundle-id", "utf8");
  const dir = cacheDir();
  const cacheFile = dir && path.join(dir, `${bundleId}-${process.version}-${process.arch}.v8cache`);
  let cachedData;
  if (cacheFile) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // first run on this machine
    }
  }

  let script;
  try {
    script = runAsset("provider.cjs", "terraform-provider-iamsession.js", cachedData).script;
  } catch (err) {
    failed(err);
  }

  if (cacheFile && (cachedData === undefined || script.cachedDataRejected)) {
    // At exit, so the cache also holds every function the run compiled lazily. Best effort: never fails the run.
    process.once("exit", () => {
      try {
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(tmp, cacheFile);
      } catch {
        // read-only home, full disk: run without a cache
      }
    });
  }
}
