#!/usr/bin/env node
// Bundles the provider into ONE self-contained executable file, dist/terraform-provider-iamsession (Node needed
// on the machine, no node_modules). The protobuf codecs are static code generated from the .proto files by `npm run
// generate` (provider/protocol/proto/codecs.js), so the provider neither reads nor reflects on them at start-up.
//
//   node scripts/build-provider.mjs                                  → dist/terraform-provider-iamsession
//   node scripts/build-provider.mjs --entry test/fixtures/x.ts --out dist/terraform-provider-x   (fixtures)
//   node scripts/build-provider.mjs --sea --out DIR/main.cjs   → the plain CommonJS main script of a single
//                                          executable (scripts/build-sea.mjs; no shebang, no ESM wrapper)
import { build } from "esbuild";
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const sea = args.includes("--sea");
const entry = resolve(root, option("--entry", "provider/main.ts"));
const outfile = resolve(root, option("--out", "dist/terraform-provider-iamsession"));
const started = performance.now();
mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  target: sea ? "node24" : "node20",
  // CommonJS inside a wrapper that also runs as ESM. The CLIs run the file as `..._v0.1.0`, an unknown
  // extension, which only the CommonJS loader accepts; an extensionless copy inside a "type": "module" package
  // (like dist/ here) is run as ESM, where `require` must come from createRequire.
  format: "cjs",
  minify: !process.env.NO_MINIFY,
  legalComments: "none",
  banner: sea ? undefined : {
    js:
      "#!/usr/bin/env node\n" +
      'Promise.resolve(typeof require==="function"?require:import("node:module").then((m)=>m.createRequire(process.argv[1])))' +
      ".then((require)=>{",
  },
  footer: sea ? undefined : { js: "});" },
  logLevel: "warning",
});
if (!sea) chmodSync(outfile, 0o755);
const size = readFileSync(outfile).length;
process.stderr.write(
  `build-provider: ${outfile} (${(size / 1024).toFixed(0)} KiB) in ${Math.round(performance.now() - started)} ms\n`,
);
