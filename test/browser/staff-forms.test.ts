import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { mintToken } from "#local/token-issuer.ts";
import { useBrowserStack, WAIT } from "../helpers/browser.ts";

/**
 * The staff area's registration, sponsorship and assessment forms in Debian's Chromium against the whole
 * local product in memory: a commune officer signs in on the local hosted page, registers a student, starts
 * a sponsorship for her, and registers a learning family and records its result. Nothing mocked.
 */
const UNIT = "02683";
const local = useBrowserStack();

/** The API as another member of the commune's staff, for what the test prepares and reads back. */
const staffCall = (path: string, body?: unknown) =>
  fetch(`${local.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      authorization: `Bearer ${mintToken(local.signingKey, { subject: "u-prep", role: "unit-staff", unit: UNIT })}`,
      "content-type": "application/json",
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

const navTo = async (page: Page, link: string, heading: string) => {
  await page
    .getByRole("navigation", { name: "Các trang của cán bộ" })
    .getByRole("link", { name: link })
    .click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor(WAIT);
};

describe("the staff forms in Chromium", () => {
  it("given a commune officer signed in on the hosted page, when they register a student, sponsor her and assess a family, then each is recorded and said in Vietnamese", async () => {
    // Given: a teacher of the commune who already sponsors as many students as one may (2)
    const teacher = JSON.parse(readFileSync("events/examples/beneficiary-registration-teacher.json", "utf8"));
    const teacherId = randomUUID();
    expect(
      (await staffCall("/v1/beneficiaries", { ...teacher, beneficiaryId: teacherId, unitCode: UNIT })).status,
    ).toBe(202);
    const today = new Date().toLocaleDateString("en-CA", { timeZone: "Asia/Ho_Chi_Minh" });
    const year = today.slice(0, 4);
    const earlier: string[] = [];
    for (let i = 0; i < 2; i++) {
      const sponsorshipId = randomUUID();
      earlier.push(sponsorshipId);
      const started = await staffCall("/v1/sponsorships", {
        sponsorshipId,
        teacherId,
        studentId: randomUUID(),
        occurredAt: `${today}T00:00:00+07:00`,
        unitCode: UNIT,
      });
      expect(started.status).toBe(202);
    }
    const { page, errors } = await local.phone([
      { status: 400, path: /^\/v1\/beneficiaries$/ },
      { status: 422, path: /^\/v1\/beneficiaries$/ },
      { status: 422, path: /^\/v1\/sponsorships$/ },
      { status: 404, path: /^\/v1\/sponsorships\/[^/]+\/end$/ },
    ]);
    await page.goto(`${local.url}/staff`);
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByLabel("Họ và tên").fill("Nguyễn Thị Lan");
    await page.getByRole("button", { name: "Đăng nhập" }).click();
    await page.getByRole("heading", { level: 1, name: /^Tổng quan đơn vị/ }).waitFor(WAIT);

    // When: a student is registered, first with no circumstance ticked (said beside its group), then with a
    // bank account half filled (said before sending), then without her own consent (the API's 422, said
    // beside the group it names), then whole
    await navTo(page, "Đăng ký người nhận", "Đăng ký người nhận hỗ trợ");
    expect(await page.getByLabel("Mã xã, phường").inputValue()).toBe(UNIT);
    await page.getByLabel("Trường đang học hoặc dạy").fill("Trường Tiểu học Bát Xát");
    await page.getByLabel("Cấp học").selectOption("primary");
    await page.getByLabel("Họ và tên", { exact: true }).fill("Lò Thị Mai");
    await page.getByLabel("Ngày sinh").fill("2016-04-12");
    await page.getByLabel("Họ và tên người giám hộ").fill("Lò Văn Hùng");
    await page.getByLabel("Quan hệ").selectOption("grandparent");
    await page.getByLabel("Người giám hộ đã đồng ý").check();
    const sent: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith("/v1/beneficiaries")) sent.push(r.method());
    });
    const refused = page.waitForResponse((r) => r.url().endsWith("/v1/beneficiaries"));
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    expect((await refused).status()).toBe(400);
    await page.getByTestId("circumstances-error").waitFor(WAIT);
    expect(await page.getByTestId("circumstances-error").textContent()).toBe("Hãy chọn ít nhất một mục.");
    expect(await page.getByRole("group", { name: /^Hoàn cảnh/ }).getAttribute("aria-describedby")).toBe(
      "circumstances-error",
    );
    await page.getByLabel("Hộ cận nghèo").check();
    await page.getByLabel("Mồ côi").check();
    // The bank account is folded until opened; the number is left out
    expect(await page.getByLabel("Số tài khoản").isVisible()).toBe(false);
    await page.getByText("Tài khoản ngân hàng nhận hỗ trợ (không bắt buộc)").click();
    await page.getByLabel("Ngân hàng", { exact: true }).fill("Agribank");
    await page.getByLabel("Tên chủ tài khoản").fill("Lò Văn Hùng");
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    await page.getByTestId("accountNumber-error").waitFor(WAIT);
    expect(await page.getByTestId("accountNumber-error").textContent()).toBe(
      "Tài khoản ngân hàng cần đủ ba mục, hoặc để trống cả ba.",
    );
    expect(await page.getByLabel("Số tài khoản").getAttribute("aria-invalid")).toBe("true");
    await local.shoot(page, "staff-bank-account");
    expect(sent).toEqual(["POST"]);
    await page.getByLabel("Số tài khoản").fill("1234 5678 9012");
    const unconsented = page.waitForResponse((r) => r.url().endsWith("/v1/beneficiaries"));
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    expect((await unconsented).status()).toBe(422);
    await page.getByTestId("consentGiven-error").waitFor(WAIT);
    expect(await page.getByTestId("consentGiven-error").textContent()).toBe(
      "Người từ 7 tuổi cần chính mình đồng ý.",
    );
    expect(await page.getByRole("group", { name: "Người đã đồng ý" }).getAttribute("aria-invalid")).toBe(
      "true",
    );
    expect(await page.getByTestId("refusal").count()).toBe(0);
    expect(await page.locator("form").getByRole("alert").textContent()).toBe(
      "Vui lòng sửa các mục được đánh dấu bên dưới.",
    );
    await local.shoot(page, "staff-beneficiary");
    await page.getByLabel("Người được đăng ký đã tự đồng ý").check();
    const registered = page.waitForResponse((r) => r.url().endsWith("/v1/beneficiaries"));
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    const answer = (await (await registered).json()) as { beneficiaryId: string };
    await page.getByRole("heading", { level: 1, name: "Đã đăng ký người nhận hỗ trợ" }).waitFor(WAIT);
    // Then: her id is shown, and nothing of her stays in the browser
    expect(await page.getByTestId("beneficiary-id").textContent()).toBe(answer.beneficiaryId);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain("Lò Thị Mai");
    expect(stored).not.toContain("Lò Văn Hùng");
    expect(stored).not.toContain("Agribank");
    expect(stored.replace(/\D/g, "")).not.toContain("123456789012");
    // And: the bank account reached the vault, as typed but for the spaces
    const read = await staffCall(`/v1/beneficiaries/${answer.beneficiaryId}?purpose=case-review`);
    expect(read.status).toBe(200);
    const { personalData } = (await read.json()) as { personalData: { bankAccount?: unknown } };
    expect(personalData.bankAccount).toEqual({
      bank: "Agribank",
      accountNumber: "123456789012",
      holder: "Lò Văn Hùng",
    });

    // When: a sponsorship is started for her with the teacher who has no place left, one of his ends, again
    await page.getByRole("link", { name: "Bắt đầu đỡ đầu với người này" }).click();
    await page.getByRole("heading", { level: 1, name: "Đỡ đầu học sinh" }).waitFor(WAIT);
    expect(await page.getByLabel("Mã người nhận của học sinh").inputValue()).toBe(answer.beneficiaryId);
    await page.getByLabel("Mã người nhận của giáo viên").fill(teacherId);
    const full = page.waitForResponse((r) => r.url().endsWith("/v1/sponsorships"));
    await page.getByRole("button", { name: "Bắt đầu đỡ đầu" }).click();
    expect((await full).status()).toBe(422);
    // the refusal names the teacher: said beside his id, the form's summary only pointing there
    await page.getByTestId("teacherId-error").waitFor(WAIT);
    expect(await page.getByTestId("teacherId-error").textContent()).toBe(
      "Giáo viên này đã đỡ đầu đủ số học sinh tối đa cùng một lúc. Hãy kết thúc một đợt đỡ đầu trước khi bắt đầu đợt mới.",
    );
    expect(await page.getByLabel("Mã người nhận của giáo viên").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByTestId("start-refusal").count()).toBe(0);
    await local.shoot(page, "staff-sponsorship");
    await page.getByLabel("Mã đợt đỡ đầu").fill(earlier[0] ?? "");
    await page.getByLabel("Lý do kết thúc").selectOption("student-left");
    // The end reads the start from the ledger: until the projector has written it, the answer is 404.
    const deadline = Date.now() + WAIT.timeout;
    for (;;) {
      const ending = page.waitForResponse((r) => r.url().endsWith("/end"));
      await page.getByRole("button", { name: "Kết thúc đỡ đầu" }).click();
      if ((await ending).status() !== 404 || Date.now() > deadline) break;
      await page.getByTestId("end-refusal").waitFor(WAIT);
      await page.waitForTimeout(300);
    }
    await page.getByTestId("ended").waitFor(WAIT);
    const started = page.waitForResponse((r) => r.url().endsWith("/v1/sponsorships"));
    await page.getByRole("button", { name: "Bắt đầu đỡ đầu" }).click();
    const start = (await (await started).json()) as { sponsorshipId: string };
    // Then
    await page.getByRole("heading", { level: 2, name: "Đã bắt đầu đỡ đầu" }).waitFor(WAIT);
    expect(await page.getByTestId("sponsorship-id").textContent()).toBe(start.sponsorshipId);

    // When: a learning family registers for this year's assessment, and its result is recorded
    await navTo(page, "Đánh giá", "Đánh giá, công nhận danh hiệu");
    const subjectId = await page.locator("#reg-subjectId").inputValue();
    expect(subjectId).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole("button", { name: "Đăng ký", exact: true }).click();
    await page.getByTestId("subject-registered").waitFor(WAIT);
    expect(await page.locator("#res-subjectId").inputValue()).toBe(subjectId);
    // Only the scheme in force for learning families this year is offered, with its levels
    const schemes = await page.locator("#res-scheme option").allTextContents();
    expect(schemes).toEqual(["— Chọn —", "Quyết định 387/QĐ-TTg (2021–2030), phiên bản 1"]);
    expect(await page.locator("#res-scheme").inputValue()).toBe("qd-387-2021@1");
    await page.getByLabel("Kết quả", { exact: true }).selectOption("recognised");
    await page.getByLabel(/^Cơ quan công nhận/).fill("Ban chỉ đạo xây dựng xã hội học tập xã Bát Xát");
    await local.shoot(page, "staff-assessment");
    const recorded = page.waitForResponse((r) => r.url().endsWith("/v1/assessments/results"));
    await page.getByRole("button", { name: "Ghi nhận kết quả" }).click();
    expect((await recorded).status()).toBe(202);
    await page.getByTestId("result-recorded").waitFor(WAIT);

    // And: the page speaks English by the header's switch, the scheme's name too
    await page.getByRole("button", { name: "Switch to English" }).click();
    await page.getByRole("heading", { level: 1, name: "Assessments and titles" }).waitFor(WAIT);
    expect(await page.locator("#res-scheme option").allTextContents()).toEqual([
      "— Choose —",
      "Decision 387/QĐ-TTg (2021–2030), version 1",
    ]);
    expect(await page.getByLabel("Kind of subject").first().isVisible()).toBe(true);

    // Then: the unit's figures count the family registered and recognised, and the sponsorship
    type Assessments = { byKind: { kind: string; registered: number; recognised: number }[] };
    const until = Date.now() + WAIT.timeout;
    let family: Assessments["byKind"][number] | undefined;
    for (;;) {
      const figures = (await (
        await staffCall(`/v1/units/${UNIT}/assessments?year=${year}`)
      ).json()) as Assessments;
      family = figures.byKind.find((k) => k.kind === "learning-family");
      if ((family?.registered === 1 && family.recognised === 1) || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(family).toMatchObject({ registered: 1, recognised: 1 });
    type Sponsorships = { started: number; ended: number; active: number };
    let sponsorships: Sponsorships | undefined;
    for (;;) {
      sponsorships = (await (await staffCall(`/v1/units/${UNIT}/sponsorships`)).json()) as Sponsorships;
      if (sponsorships.started === 3 || Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    // the two the teacher had, one of them ended, and hers
    expect(sponsorships).toMatchObject({ started: 3, ended: 1, active: 2 });
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
