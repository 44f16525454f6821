// provider/protocol/proto/codecs.js is generated from the .proto files (scripts/generators/proto-codecs.ts): a stale
// copy, or one whose service table misses an RPC of the .proto files, fails here.
import { readFileSync } from "node:fs";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { services } from "../../provider/protocol/proto/codecs.js";
import { staleFiles } from "../../scripts/generate.ts";
import { generator } from "../../scripts/generators/proto-codecs.ts";

describe("generated protobuf codecs", async () => {
  for (const { path, content } of await generator.outputs()) {
    it(`${path} is up to date (npm run generate regenerates it)`, () => {
      expect(readFileSync(path, "utf8")).toBe(content);
    });
  }

  it("npm run generate -- --check finds them fresh", async () => {
    expect(await staleFiles([generator])).toEqual([]);
  });

  it("has every RPC of the .proto files, with its streaming sides", () => {
    const reflected = new protobuf.Root();
    for (const file of ["tfplugin6.proto", "plugin.proto", "health.proto"]) {
      protobuf.parse(readFileSync(`provider/protocol/proto/${file}`, "utf8"), reflected, { keepCase: true });
    }
    const expected: Record<string, Record<string, [boolean, boolean]>> = {};
    const actual: typeof expected = {};
    for (const name of ["tfplugin6.Provider", "plugin.GRPCController", "plugin.GRPCStdio", "grpc.health.v1.Health"]) {
      const service = reflected.lookupService(name);
      expected[name] = Object.fromEntries(service.methodsArray.map((m) => [m.name, [!!m.requestStream, !!m.responseStream]]));
      actual[name] = Object.fromEntries(Object.entries(services[name] ?? {}).map(([rpc, m]) => [rpc, [m.requestStream, m.responseStream]]));
    }
    expect(actual).toEqual(expected);
    expect(Object.keys(services).sort()).toEqual(Object.keys(expected).sort());
  });

  it("decodes what protobufjs's reflection of the same .proto encodes, into the same plain object", () => {
    const reflected = new protobuf.Root();
    protobuf.parse(readFileSync("provider/protocol/proto/tfplugin6.proto", "utf8"), reflected, { keepCase: true });
    const type = reflected.lookupType("tfplugin6.UpgradeResourceState.Request");
    const message = { type_name: "t", version: 7, raw_state: { json: Buffer.from("{}"), flatmap: { a: "b" } } };
    const bytes = type.encode(type.fromObject(message)).finish();
    const codec = services["tfplugin6.Provider"]!.UpgradeResourceState!.request;
    const options = { longs: Number, enums: Number, arrays: true, objects: true };
    expect(codec.toObject(codec.decode(bytes), options)).toEqual(type.toObject(type.decode(bytes), options));
    expect(Buffer.from(codec.encode(message).finish())).toEqual(Buffer.from(bytes));
  });
});
