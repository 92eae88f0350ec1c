import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The e2e tests run the built CLI; `npm test` builds before vitest runs.
    globalSetup: ["test/support/global-setup.ts"],
  },
});
