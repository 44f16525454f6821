// What a provider, its resources and data sources import: the framework's types and the values they handle
// (cty values, the unknown value, exact numbers) and the logger. Resources import nothing of the protocol.
export * from "./types.ts";
export { containsUnknown, CtyNumber, isUnknown, UNKNOWN, type CtyType, type CtyValue, type Unknown } from "../protocol/cty/types.ts";
export { createLogger, type Logger } from "../protocol/logger.ts";
