// tfplugin6 as a provider implementation sees it (like terraform-plugin-go's tfprotov6): the typed requests and
// responses, the ProviderServer interface, values as bytes with their decoders, and the protocol's enums. The
// wire shapes and their conversions (wire.ts, fromproto.ts, toproto.ts) stay inside the protocol.
export * from "./types.ts";
export * from "./rpcs.ts";
export { DynamicValue, RawState } from "./values.ts";
