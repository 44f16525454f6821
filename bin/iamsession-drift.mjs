#!/usr/bin/env node
// npm bin: runs the TypeScript drift check through tsx (a project dependency).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../drift/main.ts");
process.exitCode = await main(process.argv.slice(2));
