// The protocol's message and service descriptors, parsed from the .proto files next to this module.
// Only used when running from source (tests, tsx): scripts/build-provider.mjs replaces this module with the
// pre-parsed JSON descriptor, so the bundled provider never reads files or parses .proto text at start-up.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";

export const PROTO_FILES = ["tfplugin6.proto", "plugin.proto", "health.proto"] as const;

/** Parses the .proto files into one protobufjs JSON descriptor (field names kept as written: snake_case). */
export function parseProtoFiles(dir: URL = new URL("./", import.meta.url)): protobuf.INamespace {
  const root = new protobuf.Root();
  for (const file of PROTO_FILES) {
    protobuf.parse(readFileSync(new URL(file, dir), "utf8"), root, { keepCase: true });
  }
  return root.toJSON();
}

export function protoDescriptor(): protobuf.INamespace {
  return parseProtoFiles();
}
