import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start real processes (the API server, Terraform/OpenTofu): be generous.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Builds the provider, lays out the filesystem mirror and resolves the CLIs once (test/helpers/tf.ts).
    globalSetup: ["test/global-setup.ts"],
  },
});
