// Turns the protocol's generated protobuf codecs (codecs.js, made from the .proto files next to it by `npm run
// generate`) into @grpc/grpc-js service definitions (no proto-loader, no reflection, no code generated at run time).
// Messages cross the boundary as plain JS objects with the .proto's snake_case field names; int64 as number,
// bytes as Buffer/Uint8Array, enums as numbers.
import type { MethodDefinition, ServiceDefinition } from "@grpc/grpc-js";
import { services, type MessageCodec } from "./codecs.js";

const TO_OBJECT = { longs: Number, enums: Number, arrays: true, objects: true };

// Plain objects as messages; each service's handlers know their shapes (tfplugin6/wire.ts for the provider).
export type Message = object;

// Encoded straight from the plain object (its fields already have the wire's types: toproto.ts builds them), not
// through fromObject's converted copy; and the encoder's Buffer is handed over as it is, not copied.
function codec(type: MessageCodec) {
  return {
    serialize: (value: Message): Buffer => {
      const bytes = type.encode(value).finish();
      return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    deserialize: (bytes: Buffer): Message => type.toObject(type.decode(bytes), TO_OBJECT),
  };
}

/** The grpc-js definition of a service by its full name, e.g. `tfplugin6.Provider`. */
export function serviceDefinition(fullName: string): ServiceDefinition {
  const methods = services[fullName];
  if (!methods) throw new Error(`no service ${fullName} in the .proto files`);
  const def: Record<string, MethodDefinition<Message, Message>> = {};
  for (const [name, method] of Object.entries(methods)) {
    const req = codec(method.request);
    const res = codec(method.response);
    def[name] = {
      path: `/${fullName}/${name}`,
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      requestSerialize: req.serialize,
      requestDeserialize: req.deserialize,
      responseSerialize: res.serialize,
      responseDeserialize: res.deserialize,
    };
  }
  return def as ServiceDefinition;
}
