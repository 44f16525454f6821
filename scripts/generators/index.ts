// Every generator of checked-in files, in the order they run: a generator may read what an earlier one wrote (the
// construct library's bindings are generated from schemas/provider.schema.json). Add a generator here to have `npm run generate`
// write it and the freshness checks cover it.
import { generator as constructLibrary } from "./construct-library.ts";
import { generator as docs } from "./docs.ts";
import { generator as errorCodes } from "./error-codes.ts";
import type { Generator } from "./generator.ts";
import { generator as openapi } from "./openapi.ts";
import { generator as protoCodecs } from "./proto-codecs.ts";
import { generator as providerSchema } from "./provider-schema.ts";

export const GENERATORS: readonly Generator[] = [openapi, errorCodes, protoCodecs, providerSchema, docs, constructLibrary];
