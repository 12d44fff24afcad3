import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { generateSigningKey, mintToken } from "#local/token-issuer.ts";
import { SESSION_KEY, useBrowserStack, WAIT, withSession } from "../helpers/browser.ts";

/**
 * The staff area in Debian's Chromium against the whole local product in memory: the member signs in on
 * the local hosted sign-in page (authorization code with PKCE, as against Cognito), records support
 * through the form, and the dashboard reads the figures the projector made of it. Nothing mocked.
 */
const local = useBrowserStack();

/** A commune officer's session, put in the tab before the app loads (skips the sign-in page). */
const asOfficer = (page: Page, token: string) =>
  withSession(page, token, { subject: "u-test", role: "unit-staff", unit: "02683", name: "Trần Văn Bình" });

const dashboardFigure = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).textContent())?.trim() ?? "";

describe("the staff area in Chromium", () => {
  it("given a commune officer, when they sign in on the hosted page and record support, then the dashboard counts one lượt more and the money", async () => {
    // Given: the staff area with no session offers to sign in
    const { page, errors } = await local.phone([{ status: 400, path: "/v1/support" }]);
    await page.goto(`${local.url}/staff`);
    await page.getByRole("heading", { level: 1, name: "Đăng nhập khu vực cán bộ" }).waitFor(WAIT);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    // The local hosted sign-in: a commune officer of Xã Bát Xát by default
    await page.getByRole("heading", { level: 1, name: "Đăng nhập khu vực cán bộ" }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe("/oauth2/authorize");
    expect(new URL(page.url()).searchParams.get("code_challenge_method")).toBe("S256");
    expect(await page.getByLabel("Mã đơn vị").inputValue()).toBe("02683");
    await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
    await local.shoot(page, "staff-sign-in");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    // Back through /auth/callback to the dashboard, signed in
    await page.getByRole("heading", { level: 1, name: /^Tổng quan đơn vị: Xã Bát Xát/ }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe("/staff");
    expect(await page.getByTestId("member-name").textContent()).toBe("Nguyễn Thị Lan");
    expect(await page.getByTestId("member-unit").textContent()).toBe("Xã Bát Xát (02683)");
    await page.getByTestId("support-luot").waitFor(WAIT);
    const luotBefore = Number(await dashboardFigure(page, "support-luot"));
    expect(await dashboardFigure(page, "support-money")).toBe("0\u00a0₫");

    // When: support is recorded, first without a reason (said beside its field), then complete
    await page
      .getByRole("navigation", { name: "Các trang của cán bộ" })
      .getByRole("link", { name: "Ghi nhận hỗ trợ" })
      .click();
    await page.getByRole("heading", { level: 1, name: "Ghi nhận hỗ trợ" }).waitFor(WAIT);
    await page.getByLabel("Tập thể", { exact: true }).check();
    await page.getByLabel("Tên tập thể").fill("Trường Tiểu học Bát Xát");
    await page.getByLabel("Tiền mặt (đồng)").fill("1.500.000");
    expect(await page.getByLabel("Mã xã, phường").inputValue()).toBe("02683");
    const refused = page.waitForResponse((r) => r.url().endsWith("/v1/support"));
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    await page.getByTestId("reason-error").waitFor(WAIT);
    const answer = (await (await refused).json()) as { issues: { path: string; code: string }[] };
    expect(answer.issues).toContainEqual(expect.objectContaining({ path: "reason", code: "required" }));
    expect(await page.getByTestId("reason-error").textContent()).toBe("Vui lòng nhập thông tin này.");
    expect(await page.getByLabel("Lý do").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Lý do").selectOption("study-equipment");
    await local.shoot(page, "staff-support");
    const accepted = page.waitForResponse((r) => r.url().endsWith("/v1/support"));
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    expect((await accepted).status()).toBe(202);
    await page.getByRole("heading", { name: "Đã ghi nhận hỗ trợ" }).waitFor(WAIT);

    // Then: the dashboard, read afresh until the projector has folded the grant in
    await page.getByRole("link", { name: "Về trang tổng quan" }).click();
    const deadline = Date.now() + WAIT.timeout;
    // The unit's fund (its own partition) shows the money used, projected beside the lượt.
    const moved = async () =>
      Number(await dashboardFigure(page, "support-luot")) > luotBefore &&
      (await dashboardFigure(page, "fund-headline")).includes("đã sử dụng 1.500.000 đồng");
    for (;;) {
      await page.getByTestId("fund-headline").waitFor(WAIT);
      if ((await moved()) || Date.now() > deadline) break;
      await page.waitForTimeout(300);
      await page.reload();
    }
    expect(Number(await dashboardFigure(page, "support-luot"))).toBe(luotBefore + 1);
    expect(await dashboardFigure(page, "support-money")).toBe("1.500.000\u00a0₫");
    expect(await dashboardFigure(page, "fund-headline")).toContain("đã sử dụng 1.500.000 đồng");
    expect(await page.getByRole("row", { name: /Đồ dùng học tập/ }).textContent()).toContain("1.500.000");
    await local.shoot(page, "staff-dashboard");
    expect(errors).toEqual([]);

    // And: signing out ends the session here and at the hosted sign-in
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(`${local.url}/`);
    await page.goto(`${local.url}/staff`);
    await page.getByRole("button", { name: "Đăng nhập" }).waitFor(WAIT);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given a registered student, when support from a restricted campaign with nothing received is refused and then paid from the fund, then the refusal is said beside the amount and one more person is counted", async () => {
    // Given: a student registered in the commune (through the API: its form is a page of its own)
    const token = mintToken(local.signingKey, { subject: "u-test", role: "unit-staff", unit: "02683" });
    const staffCall = (path: string, body?: unknown) =>
      fetch(`${local.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const registration = JSON.parse(readFileSync("events/examples/beneficiary-registration.json", "utf8"));
    const beneficiaryId = randomUUID();
    const registered = await staffCall("/v1/beneficiaries", {
      ...registration,
      beneficiaryId,
      unitCode: "02683",
    });
    expect(registered.status).toBe(202);
    const year = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Ho_Chi_Minh" }).slice(0, 4);
    const figures = async () =>
      (await (await staffCall(`/v1/units/02683/support?year=${year}`)).json()) as {
        luot: number;
        people: number;
      };
    const before = await figures();
    const { page, errors } = await local.phone([{ status: 422, path: "/v1/support" }]);
    await asOfficer(page, token);
    await page.goto(`${local.url}/staff/support/new`);
    await page.getByRole("heading", { level: 1, name: "Ghi nhận hỗ trợ" }).waitFor(WAIT);
    await page.getByLabel("Mã người nhận (UUID)").fill(beneficiaryId);
    await page.getByLabel("Lý do").selectOption("overcoming-hardship");
    await page.getByLabel("Tiền mặt (đồng)").fill("2000000");
    await page.getByLabel("Chiến dịch", { exact: true }).check();
    await page.getByLabel("Tên chiến dịch").selectOption("tu-sach-dinh-huu-du-2026");
    // When: sent, refused (the campaign's restricted money has not arrived), then paid from the fund
    const refused = page.waitForResponse((r) => r.url().endsWith("/v1/support"));
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    expect((await refused).status()).toBe(422);
    await page.getByTestId("moneyVnd-error").waitFor(WAIT);
    expect(await page.getByTestId("moneyVnd-error").textContent()).toBe(
      "Khoản tiền có mục đích riêng của chiến dịch không còn đủ cho khoản hỗ trợ này.",
    );
    expect(await page.getByTestId("refusal").count()).toBe(0);
    await page.getByLabel("Quỹ của đơn vị").check();
    const accepted = page.waitForResponse((r) => r.url().endsWith("/v1/support"));
    await page.getByRole("button", { name: "Ghi nhận" }).click();
    expect((await accepted).status()).toBe(202);
    await page.getByRole("heading", { name: "Đã ghi nhận hỗ trợ" }).waitFor(WAIT);
    // Then: the dashboard counts the student once more, and the lượt
    await page.getByRole("link", { name: "Về trang tổng quan" }).click();
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
      await page.getByTestId("support-people").waitFor(WAIT);
      if (Number(await dashboardFigure(page, "support-people")) > before.people || Date.now() > deadline)
        break;
      await page.waitForTimeout(300);
      await page.reload();
    }
    expect(Number(await dashboardFigure(page, "support-people"))).toBe(before.people + 1);
    expect(Number(await dashboardFigure(page, "support-luot"))).toBe(before.luot + 1);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given a session the API no longer accepts, when a staff page reads, then the member is asked to sign in again", async () => {
    // Given: a token signed by a key the stack does not know, as after a key rotation
    const { page, errors } = await local.phone(
      ["support", "assessments", "sponsorships"].map((f) => ({ status: 401, path: `/v1/units/02683/${f}` })),
    );
    const stranger = mintToken(generateSigningKey(), {
      subject: "u-test",
      role: "unit-staff",
      unit: "02683",
    });
    await asOfficer(page, stranger);
    // When
    await page.goto(`${local.url}/staff`);
    // Then
    await page.getByText("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.").waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Đăng nhập" }).isVisible()).toBe(true);
    expect(await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY)).toBeNull();
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it("given a signed-in member, when they switch to English, then the staff area speaks English", async () => {
    // Given
    const { page, errors } = await local.phone();
    await asOfficer(
      page,
      mintToken(local.signingKey, { subject: "u-test", role: "unit-staff", unit: "02683" }),
    );
    await page.goto(`${local.url}/staff/support/new`);
    await page.getByRole("heading", { level: 1, name: "Ghi nhận hỗ trợ" }).waitFor(WAIT);
    // When
    await page.getByRole("button", { name: "Switch to English" }).click();
    // Then
    await page.getByRole("heading", { level: 1, name: "Record support" }).waitFor(WAIT);
    const pages = await page
      .getByRole("navigation", { name: "Staff pages" })
      .getByRole("link")
      .allTextContents();
    expect(pages.slice(0, 2)).toEqual(["Dashboard", "Record support"]);
    // Every page's name in English: plain ASCII, none of Vietnamese's letters
    for (const name of pages) expect(name).toMatch(/^[\x20-\x7e]+$/);
    expect(await page.getByLabel("Money (VND)").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Sign out" }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
