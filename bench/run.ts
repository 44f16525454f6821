// npm run bench: every benchmark, each printing ratios against a baseline measured in the same run.
//   1. provider start-up: exec → handshake line, against `node -e 0` (the CLIs start the provider 2–5 times a command)
//   2. settings API: GET and PUT throughput, against GET /health
//   3. session engine: validations and CLI logins, against GET /health, and rows written per validation
import { execFileSync } from "node:child_process";
import { runApiPutBench } from "./api-put.ts";
import { runSessionBench } from "./sessions.ts";

console.log("== provider start-up (npm run build first)");
execFileSync(process.execPath, ["scripts/build-provider.mjs"], { stdio: "inherit" });
execFileSync(process.execPath, ["bench/provider-startup.mjs", "20"], { stdio: "inherit" });

console.log("\n== settings API throughput");
await runApiPutBench(3, 8);

console.log("\n== session engine");
await runSessionBench(3, 16);
