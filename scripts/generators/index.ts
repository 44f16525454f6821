// Every generator `npm run generate` runs, in order.
import type { Generator } from "./generator.ts";
import { generator as constructLibrary } from "./construct-library.ts";

export const GENERATORS: Generator[] = [constructLibrary];
