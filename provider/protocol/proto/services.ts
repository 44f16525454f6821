// Turns the protobuf descriptors into @grpc/grpc-js service definitions (no proto-loader needed).
// Messages cross the boundary as plain JS objects with the .proto's snake_case field names; int64 as number,
// bytes as Buffer/Uint8Array, enums as numbers.
import protobuf from "protobufjs/light.js";
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { protoDescriptor } from "./descriptor.ts";

let root: protobuf.Root | undefined;

export function protoRoot(): protobuf.Root {
  root ??= protobuf.Root.fromJSON(protoDescriptor());
  return root;
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: Number, enums: Number, arrays: true, objects: true };

// Plain objects as messages; each service's handlers know their shapes (tfplugin6/wire.ts for the provider).
export type Message = object;

// Encoded straight from the plain object (its fields already have the wire's types: toproto.ts builds them), not
// through fromObject's converted copy; and the encoder's Buffer is handed over as it is, not copied.
function codec(type: protobuf.Type) {
  return {
    serialize: (value: Message): Buffer => {
      const bytes = type.encode(value as protobuf.Message).finish();
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes: Buffer): Message => type.toObject(type.decode(bytes), TO_OBJECT),
  };
}

/** The grpc-js definition of a service by its full name, e.g. `tfplugin6.Provider`. */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const service = protoRoot().lookupService(fullName);
  const def: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of Object.values(service.methods)) {
    method.resolve();
    const req = codec(method.resolvedRequestType!);
    const res = codec(method.resolvedResponseType!);
    def[method.name] = {
      path: `/${fullName}/${method.name}`,
      requestStream: !!method.requestStream,
      responseStream: !!method.responseStream,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
    };
  }
  return def as ServiceDefinition;
}
