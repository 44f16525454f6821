#!/usr/bin/env node
// Lays out the built provider as a filesystem mirror (unpacked layout) under DIR, for both default registry hosts,
// so a CLI configuration `provider_installation { filesystem_mirror { path = "DIR" } }` makes a plain `init`
// install it with Terraform (registry.terraform.io) and OpenTofu (registry.opentofu.org) alike.
//
//   npm run build && npm run provider:mirror -- DIR [--binary dist/terraform-provider-x --name x]
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const name = option("--name", "iamsession");
const namespace = option("--namespace", name);
const binary = resolve(root, option("--binary", `dist/terraform-provider-${name}`));
const version = option("--version", JSON.parse(readFileSync(resolve(root, "package.json"), "utf8")).version);
const dir = args[0];
if (!dir) {
  process.stderr.write("usage: npm run provider:mirror -- DIR\n");
  process.exit(2);
}
if (!existsSync(binary)) {
  process.stderr.write(`provider-mirror: ${binary} does not exist; run \`npm run build\` first\n`);
  process.exit(1);
}

const goArch = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[process.arch] ?? process.arch;
const goOs = process.platform === "win32" ? "windows" : process.platform;
const platform = `${goOs}_${goArch}`;

for (const host of ["registry.terraform.io", "registry.opentofu.org"]) {
  const target = resolve(dir, host, namespace, name, version, platform, `terraform-provider-${name}_v${version}`);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(binary, target);
  process.stdout.write(`${target}\n`);
}
