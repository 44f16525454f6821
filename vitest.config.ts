import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start real processes (the API server, Terraform/OpenTofu, Chromium) on 2 cores: be generous, so a
    // loaded machine slows a run down instead of failing it.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: "forks",
    // First: the run's own temp directory (TMPDIR), checked empty at the end, so its teardown runs last
    // (test/temp-dir-guard.ts). Then: builds the provider, lays out the filesystem mirror and resolves the CLIs once
    // (test/helpers/tf.ts).
    globalSetup: ["test/temp-dir-guard.ts", "test/global-setup.ts"],
  },
});
