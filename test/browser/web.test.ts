import { describe, expect, it } from "vitest";
import { exampleCampaigns } from "#local/campaigns.ts";
import { mintToken } from "#local/token-issuer.ts";
import { useBrowserStack, WAIT } from "../helpers/browser.ts";

/**
 * The web app in Debian's Chromium, against the whole local product in memory: gateway, handler
 * modules, the projector on the queue, the built app served on the API's port. Nothing mocked.
 */
const CAMPAIGN = "quy-khuyen-tai-xa-2026";
const local = useBrowserStack();
/** The 400 of a refused pledge is an answer the donation form words, not a fault. */
const refusedPledge = [{ status: 400, path: "/v1/donations" }];

/** The campaign's pledged money as the API reports it. */
const pledgedVnd = async (): Promise<number> => {
  const answer = (await (await fetch(`${local.url}/v1/campaigns/${CAMPAIGN}`)).json()) as {
    pledged: { moneyVnd: number };
  };
  return answer.pledged.moneyVnd;
};

/** Polls the API until `check` holds, for at most 30 s: queued events are projected in the background. */
const eventually = async (check: () => Promise<boolean>) => {
  const deadline = Date.now() + WAIT.timeout;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
};

describe("the public web app in Chromium", () => {
  it("given the example campaigns, when the index is opened, then it lists them in Vietnamese with links", async () => {
    // Given / When
    const { page, errors } = await local.phone(refusedPledge);
    await page.goto(`${local.url}/`);
    await page.getByRole("heading", { level: 1, name: "Các chiến dịch" }).waitFor(WAIT);
    await page
      .getByRole("link", { name: "Quỹ khuyến học – khuyến tài các xã 2026", exact: true })
      .waitFor(WAIT);
    await local.shoot(page, "index");
    // Then
    expect(await page.getAttribute("html", "lang")).toBe("vi");
    expect(await page.locator("ul.cards > li").count()).toBe(exampleCampaigns().length);
    expect(await page.getByText("2.000.000.000\u00a0₫").count()).toBe(1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given a blank name, words for an amount and no commune, when sent, then each issue is said beside its field in Vietnamese", async () => {
    // Given
    const { page, errors } = await local.phone(refusedPledge);
    await page.goto(`${local.url}/campaigns/${CAMPAIGN}/donate`);
    await page.getByLabel("Số tiền (đồng)").fill("hai trăm nghìn");
    // When: sent from the keyboard
    const answered = page.waitForResponse((r) => r.url().endsWith("/v1/donations"));
    await page.getByLabel("Số tiền (đồng)").press("Enter");
    const error = page.getByTestId("donorName-error");
    await error.waitFor(WAIT);
    await local.shoot(page, "donate-invalid");
    // Then: the API's own issue, by its code, in the reader's language
    const answer = (await (await answered).json()) as { issues: { path: string; code: string }[] };
    expect(answer.issues).toContainEqual(expect.objectContaining({ path: "donor.name", code: "blank" }));
    expect(await error.textContent()).toBe("Không được để trống.");
    expect(answer.issues).toContainEqual(expect.objectContaining({ path: "unitCode", code: "required" }));
    expect(await page.getByTestId("unitCode-error").textContent()).toBe("Vui lòng nhập thông tin này.");
    expect(answer.issues).toContainEqual(
      expect.objectContaining({ path: "contribution.amountVnd", code: "invalid_type" }),
    );
    expect(await page.getByTestId("amount-error").textContent()).toBe("Giá trị không đúng kiểu.");
    expect(await page.getByLabel("Họ và tên hoặc tên đơn vị").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Họ và tên hoặc tên đơn vị").getAttribute("aria-describedby")).toBe(
      "donorName-error",
    );
    // The keyboard is taken to the first field to fix.
    expect(await page.locator(":focus").getAttribute("id")).toBe("donorName");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given a campaign, when a donor gives through the page, then they see the code and the total moves", async () => {
    // Given
    const before = await pledgedVnd();
    const { page, errors } = await local.phone(refusedPledge);
    await page.goto(`${local.url}/campaigns/${CAMPAIGN}`);
    await page.getByTestId("pledged").waitFor(WAIT);
    await local.shoot(page, "campaign-before");
    await page.getByRole("link", { name: "Ủng hộ", exact: true }).click();
    // When
    await page.getByLabel("Bạn là").selectOption("business");
    await page.getByLabel("Họ và tên hoặc tên đơn vị").fill("Công ty TNHH Chè Suối Giàng");
    await page.getByLabel("Số tiền (đồng)").fill("5.000.000");
    await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Tỉnh Lào Cai" });
    await page.getByLabel("Xã, phường nhận ủng hộ").selectOption({ label: "Xã Tú Lệ" });
    await page.getByLabel("Lời nhắn (không bắt buộc)").fill("Ủng hộ Quỹ Khuyến học – Khuyến tài");
    const answered = page.waitForResponse((r) => r.url().endsWith("/v1/donations"));
    await page.getByRole("button", { name: "Gửi ủng hộ" }).click();
    const answer = (await (await answered).json()) as { donationCode: string; vietQr?: string };
    await page.getByTestId("donation-code").waitFor(WAIT);
    if (answer.vietQr !== undefined) await page.getByTestId("vietqr").waitFor(WAIT);
    await local.shoot(page, "donate-thanks");
    // Then: the code, and the VietQR image when the API gives its payload
    expect(await page.getByTestId("donation-code").textContent()).toBe(answer.donationCode);
    if (answer.vietQr !== undefined) {
      const qr = page.getByTestId("vietqr");
      expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
      expect(
        await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      ).toBeGreaterThan(0);
    }
    // Then: once projected, the campaign page shows the new total and the commune by its name
    await eventually(async () => (await pledgedVnd()) === before + 5_000_000);
    await page.getByRole("link", { name: "Quay lại chiến dịch" }).first().click();
    await page.getByTestId("pledged").waitFor(WAIT);
    await page.locator(".chart canvas").waitFor(WAIT);
    await local.shoot(page, "campaign");
    expect(before).toBe(0);
    expect(await page.getByTestId("pledged").textContent()).toBe("5.000.000\u00a0₫");
    expect(await page.getByTestId("by-commune").textContent()).toContain("Xã Tú Lệ");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given an answer that carries a VietQR payload, when the pledge is accepted, then the page draws it as an image", async () => {
    // Given: the real API's answer, with the `vietQr` field the payments work adds (absent on this API)
    const vietQr =
      "00020101021238570010A000000727012700069704360113001234567890208QRIBFTTA53037045802VN6304ABCD";
    const { page, errors } = await local.phone(refusedPledge);
    await page.route("**/v1/donations", async (route) => {
      const real = await route.fetch();
      await route.fulfill({ response: real, json: { ...(await real.json()), vietQr } });
    });
    await page.goto(`${local.url}/campaigns/${CAMPAIGN}/donate`);
    await page.getByLabel("Họ và tên hoặc tên đơn vị").fill("Nguyễn Văn An");
    await page.getByLabel("Số tiền (đồng)").fill("100000");
    await page.getByLabel("Tỉnh, thành phố").selectOption({ label: "Tỉnh Lào Cai" });
    await page.getByLabel("Xã, phường nhận ủng hộ").selectOption({ label: "Xã Tú Lệ" });
    // When
    await page.getByRole("button", { name: "Gửi ủng hộ" }).click();
    const qr = page.getByRole("img", { name: "Mã VietQR để chuyển khoản, kèm mã ủng hộ" });
    await qr.waitFor(WAIT);
    await local.shoot(page, "donate-thanks-qr");
    // Then: an SVG drawn in the page (no request leaves it), loaded and of the size asked
    expect(await qr.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    expect(
      await qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId("donation-code").textContent()).toMatch(/^KH[0-9A-Z]+$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given the Vietnamese page, when the reader switches to English, then the page and the next visit are English", async () => {
    // Given
    const { page, errors } = await local.phone(refusedPledge);
    await page.goto(`${local.url}/campaigns/${CAMPAIGN}`);
    await page
      .getByRole("heading", { level: 1, name: "Quỹ khuyến học – khuyến tài các xã 2026" })
      .waitFor(WAIT);
    // When
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page
      .getByRole("heading", { level: 1, name: "Communes' study promotion and talent fund 2026" })
      .waitFor(WAIT);
    await page.reload();
    await page
      .getByRole("heading", { level: 1, name: "Communes' study promotion and talent fund 2026" })
      .waitFor(WAIT);
    await local.shoot(page, "campaign-en");
    // Then
    expect(await page.getAttribute("html", "lang")).toBe("en");
    expect(await page.getByText("Pledged", { exact: true }).count()).toBeGreaterThan(0);
    await page.goto(`${local.url}/campaigns/${CAMPAIGN}/donate`);
    await page.getByLabel("Amount (VND)").waitFor(WAIT);
    await local.shoot(page, "donate-en");
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given cash counted into the central fund, when the transparency page is opened, then it shows what the fund received", async () => {
    // Given 1,234,000 VND of cash recorded by an admin into the general fund of the central association
    const token = mintToken(local.signingKey, {
      subject: "admin",
      role: "association-admin",
      unit: "VN",
    });
    const recorded = await fetch(`${local.url}/v1/receipts/cash`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        unitCode: "00004",
        occurredAt: `${new Date().getFullYear()}-01-15T10:00:00+07:00`,
        amountVnd: 1_234_000,
        origin: { kind: "collection", occasion: "Lễ khai giảng" },
        campaignId: "ngay-hoi-khuyen-hoc-2026",
      }),
    });
    expect(recorded.status).toBe(202);
    const { page, errors } = await local.phone(refusedPledge);
    // When the page is opened (reloaded until the projector has counted it)
    const deadline = Date.now() + WAIT.timeout;
    do {
      await page.goto(`${local.url}/transparency`);
      await page.getByRole("heading", { level: 1, name: "Công khai tài chính" }).waitFor(WAIT);
      await page.locator("p.headline").waitFor(WAIT);
    } while (!(await page.getByText("1.234.000", { exact: false }).count()) && Date.now() < deadline);
    await local.shoot(page, "transparency");
    // Then the central fund's table shows the money received, in Vietnamese figures
    expect(
      await page
        .getByRole("table")
        .first()
        .getByText(/1\.234\.000/)
        .count(),
    ).toBeGreaterThan(0);
    expect(await page.locator("form.filters select").first().inputValue()).toBe("VN");
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
