// Every generator `npm run generate` runs, in order.
import type { Generator } from "./generator.ts";
import { generator as constructLibrary } from "./construct-library.ts";
import { generator as errorCodes } from "./error-codes.ts";

export const GENERATORS: Generator[] = [errorCodes, constructLibrary];
