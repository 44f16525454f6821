// Entry of the writer thread. Worker threads do not inherit tsx's loader: when the API runs from its TypeScript
// sources, load writer-thread.ts through tsx; a build that bundles it (writer-thread.js next to this file) loads that.
import { existsSync } from "node:fs";

const built = new URL("./writer-thread.js", import.meta.url);
if (existsSync(built)) await import(built.href);
else {
  const { tsImport } = await import("tsx/esm/api");
  await tsImport("./writer-thread.ts", import.meta.url);
}
