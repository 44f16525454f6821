// A Node 24 binary for CDK Terrain's CLI (it needs Node >= 22.19; the machines have Node 20): the release build's
// pinned, integrity-checked runtime from the npm registry (scripts/node-runtime.mjs), cached under ~/.cache/iamsession/node/.
// @ts-expect-error: a plain ES module without declarations
import { nodeRuntime } from "../../scripts/node-runtime.mjs";

export async function node24(): Promise<string> {
  return (nodeRuntime() as { binary: string }).binary;
}
