import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PAYMENT_SECRET_ENV, webhookSecretFrom } from "#functions/payments/secret.ts";
import { ensurePaymentSecret, paymentSecretFile } from "#local/payment-secret.ts";
import { ConfigError } from "#storage/config.ts";

const dir = mkdtempSync(join(tmpdir(), "khuyenhoc-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the notifier's secret", () => {
  it("is made once locally and read from its file, the same each time", async () => {
    // Given
    const file = paymentSecretFile(join(dir, "a"));
    const made = ensurePaymentSecret(file);
    // When
    const secret = webhookSecretFrom({ [PAYMENT_SECRET_ENV.secretFile]: file });
    // Then
    expect(made).toMatch(/^[0-9a-f]{64}$/);
    expect(ensurePaymentSecret(file)).toBe(made);
    expect(await secret()).toBe(made);
  });

  it("refuses to start without a setting, and refuses a short secret at first use", async () => {
    // Given
    const short = join(dir, "short.secret");
    writeFileSync(short, "hunter2\n");
    // When / Then
    expect(() => webhookSecretFrom({})).toThrow(ConfigError);
    await expect(webhookSecretFrom({ [PAYMENT_SECRET_ENV.secretFile]: short })()).rejects.toThrow(
      /at least 32/,
    );
  });

  it("forgets a failed read, so the next request tries again", async () => {
    // Given: the file is missing at the first request, then written
    const late = join(dir, "late.secret");
    const secret = webhookSecretFrom({ [PAYMENT_SECRET_ENV.secretFile]: late });
    await expect(secret()).rejects.toThrow();
    writeFileSync(late, `${"b".repeat(64)}\n`);
    // When / Then
    expect(await secret()).toBe("b".repeat(64));
  });
});
