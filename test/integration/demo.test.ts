import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runYenBai2018 } from "#demo/run.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { PAYMENT_SECRET_ENV } from "#functions/payments/secret.ts";
import { ensurePaymentSecret, signedNotification } from "#local/payment-secret.ts";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { mintToken } from "#local/token-issuer.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";

/** The whole local product in memory; the demo talks to it over HTTP like any client. */
let stack: LocalStack;
const reportsDir = mkdtempSync(join(tmpdir(), "khuyenhoc-demo-"));
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(reportsDir, { recursive: true, force: true });
});

describe("the seed's year, replayed at 2% scale", () => {
  it("given Yên Bái 2018 sent through the APIs with its money, when the yearly report is made, then every figure equals the generator's truth, in 2018's units and in today's, and every campaign received what was sent", async () => {
    // Given the product's own read side (the same store the handlers use)
    const runtime = await import("#functions/shared/runtime.ts");
    const registry = createCampaignRegistry(runtime.config, runtime.clients);
    // When the scenario runs against the stack
    const summary = await runYenBai2018(
      {
        url: stack.url,
        token: (role, unit) =>
          mintToken(stack.auth.signingKey, { subject: `demo-${unit}`, role, unit, name: "Demo" }),
        sources: {
          readPartition: (p) => runtime.store.readPartition(p),
          readCampaign: async (id) => (await registry.read(id))?.definition,
          today: vietnamDayOf(new Date().toISOString()),
        },
        reportsDir,
        say: () => undefined,
        settleMs: 60_000,
        signNotification: (body) =>
          signedNotification(ensurePaymentSecret(process.env[PAYMENT_SECRET_ENV.secretFile] ?? ""), body),
      },
      2018,
      0.02,
    );
    // Then the report states the generator's people, lượt and amounts, and nothing was refused
    expect(summary.refused).toBe(0);
    expect(summary.mismatches).toEqual([]);
    expect(summary.matchesTruth).toBe(true);
    expect(summary.currentUnitsMatch).toBe(true);
    expect(summary.receivedMatches).toBe(true);
    expect(summary.peopleSupported).toBe(443);
    expect(summary.reports.filter((p) => p.endsWith(".xlsx"))).toHaveLength(3);
  }, 300_000);
});
