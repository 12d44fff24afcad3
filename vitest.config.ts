import { defineConfig } from "vitest/config";

/**
 * Four projects, each runnable alone (`npm run test:unit`, `test:integration`, `test:infra`, `test:browser`).
 * Integration and browser tests start DynamoDB Local and the SQS emulator themselves, on free ports;
 * browser tests drive Debian's Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH).
 */
export default defineConfig({
  test: {
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
