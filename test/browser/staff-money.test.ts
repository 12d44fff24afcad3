import { randomInt, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { PAYMENT_SECRET_ENV } from "#functions/payments/secret.ts";
import { ensurePaymentSecret, signedNotification } from "#local/payment-secret.ts";
import { mintToken } from "#local/token-issuer.ts";
import { SCREENSHOTS, useBrowserStack, WAIT, withSession } from "../helpers/browser.ts";

/**
 * The staff area's money pages in Debian's Chromium against the whole local product in memory: the
 * review list of transfers that came without a code the door knew, and the reports page. Nothing mocked.
 */
const local = useBrowserStack();

/** The national association's administrator, signed in (the session the callback would store). */
const asAdmin = async (page: Page) => {
  const token = mintToken(local.signingKey, {
    subject: "u-admin",
    role: "association-admin",
    unit: "VN",
  });
  await withSession(page, token, {
    subject: "u-admin",
    role: "association-admin",
    unit: "VN",
    name: "Lê Minh Quân",
  });
  return token;
};

/** Now as the banks write it: Vietnam's local time, without an offset. */
const vietnamLocal = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19).replace("T", " ");

describe("the staff area's money pages in Chromium", () => {
  it("given a transfer whose note has no code, when staff try a wrong code and then the pledge's, then the wrong one is refused in words and the right one takes it off the list", async () => {
    // Given: a pledge with its donation code, and a transfer of its money whose note forgot the code
    const pledge = JSON.parse(readFileSync("events/examples/donation-form.json", "utf8"));
    const pledged = await fetch(`${local.url}/v1/donations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...pledge, eventId: randomUUID() }),
    });
    expect(pledged.status).toBe(202);
    const { donationCode } = (await pledged.json()) as { donationCode: string };
    const example = JSON.parse(readFileSync("events/examples/bank-transfer.json", "utf8"));
    const note = `CHUYEN TIEN UNG HO ${randomInt(1000, 9999)}`;
    const signed = signedNotification(ensurePaymentSecret(process.env[PAYMENT_SECRET_ENV.secretFile] ?? ""), {
      ...example,
      id: randomInt(1, 2 ** 47),
      transactionDate: vietnamLocal(),
      content: note,
      description: `BankAPINotify ${note}`,
      transferAmount: 5_000_000,
    });
    const notified = await fetch(`${local.url}/v1/payments/bank-transfer`, {
      method: "POST",
      headers: signed.headers,
      body: signed.body,
    });
    expect(notified.status).toBe(200);
    const { page, errors } = await local.phone([{ status: 422, path: /\/v1\/payments\/.+\/match$/ }]);
    await asAdmin(page);
    await page.goto(`${local.url}/staff/payments`);
    await page.getByRole("heading", { level: 1, name: "Chuyển khoản chờ xử lý" }).waitFor(WAIT);
    const card = page.getByTestId("transfer").filter({ hasText: note });
    await card.waitFor(WAIT);
    expect(await card.getByRole("heading").textContent()).toContain("5.000.000");
    expect(await card.textContent()).toContain("Nội dung không có mã ủng hộ");

    // When: a code no pledge has, then the pledge's code as a donor might say it on the phone
    await card.getByLabel("Mã ủng hộ", { exact: true }).fill("KH0000000000");
    await card.getByRole("button", { name: "Xác nhận" }).click();
    await card.getByTestId("donationCode-error").waitFor(WAIT);
    expect(await card.getByTestId("donationCode-error").textContent()).toBe(
      "Không có lời cam kết nào mang mã ủng hộ này.",
    );
    expect(await card.getByLabel("Mã ủng hộ", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(await card.getByRole("alert").textContent()).toBe(
      "Không xử lý được: xem mục được đánh dấu bên dưới.",
    );
    await card.getByLabel("Mã ủng hộ", { exact: true }).fill(donationCode.toLowerCase());
    await page.screenshot({ path: `${SCREENSHOTS}/staff-payments.png`, fullPage: true });
    const resolved = page.waitForResponse(
      (r) => r.url().endsWith("/match") && r.request().method() === "POST",
    );
    await card.getByRole("button", { name: "Xác nhận" }).click();
    expect((await resolved).status()).toBe(202);

    // Then: the list says so and no longer holds the transfer
    await page.getByText("Đã xử lý khoản chuyển khoản.").waitFor(WAIT);
    await card.waitFor({ state: "detached", ...WAIT });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given the yearly report made for a province, when staff open the reports page, then it lists the report with its Excel file to download", async () => {
    // Given: the yearly schedule's run of 10 January 2019 for Yên Bái (15), as the scheduler sends it
    const { handler: makeReports } = await import("#functions/reports/make-handler.ts");
    expect(
      await makeReports({ schedule: "yearly", scheduledTime: "2019-01-09T20:00:00Z", units: ["15"] }),
    ).toMatchObject({ reports: 1 });
    const { page, errors } = await local.phone();
    await asAdmin(page);
    // When
    await page.goto(`${local.url}/staff/reports`);
    await page.getByRole("heading", { level: 1, name: "Báo cáo" }).waitFor(WAIT);
    await page.getByLabel("Mã đơn vị").fill("15");
    await page.getByRole("button", { name: "Xem" }).click();
    // Then: one row for the report, its XLSX first, and the link downloads a workbook
    const row = page.getByTestId("report").filter({ hasText: "Báo cáo năm 2018" });
    await row.waitFor(WAIT);
    const links = row.getByRole("link");
    expect(await links.first().textContent()).toMatch(/^Tải XLSX/);
    expect(await links.count()).toBeGreaterThanOrEqual(3);
    const href = (await links.first().getAttribute("href")) ?? "";
    const download = await fetch(href);
    expect(download.status).toBe(200);
    // An XLSX is a zip: it starts with "PK"
    expect(
      Buffer.from(await download.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe("PK");
    await page.screenshot({ path: `${SCREENSHOTS}/staff-reports.png`, fullPage: true });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
