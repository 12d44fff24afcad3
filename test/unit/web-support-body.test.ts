import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SupportGrantRequest } from "#events/support.ts";
import { type SupportFormState, supportBodyOf, supportFieldOf } from "#web/support-body.ts";

const supportId = "3b9e1f2a-8c4d-4e5f-9a6b-7c8d9e0f1a2b";
const filled: SupportFormState = {
  recipientType: "collective",
  beneficiaryId: "",
  beneficiaryKind: "student",
  collectiveKind: "school",
  collectiveName: "Trường Tiểu học Bát Xát",
  reason: "study-equipment",
  moneyVnd: "1.500.000",
  goodsDescription: "Tủ sách",
  goodsValuation: "250000",
  fundedBy: "fund",
  campaignId: "",
  date: "2026-09-20",
  unitCode: "02683",
};

describe("the support form's body", () => {
  it("given a filled form, when sent, then the body is a valid SupportGrantRequest with amounts as integer VND", () => {
    // When
    const body = supportBodyOf(supportId, filled);
    // Then
    expect(SupportGrantRequest.safeParse(body).success).toBe(true);
    expect(body).toMatchObject({
      supportId,
      moneyVnd: 1_500_000,
      goods: { description: "Tủ sách", valuationVnd: 250_000 },
      occurredAt: "2026-09-20T12:00:00+07:00",
      fundedBy: { source: "fund" },
    });
  });

  it("given a registered beneficiary and a campaign, when sent, then the recipient is the id and kind, paid by the campaign", () => {
    const body = supportBodyOf(supportId, {
      ...filled,
      recipientType: "beneficiary",
      beneficiaryId: ` ${supportId} `,
      beneficiaryKind: "teacher",
      goodsDescription: "",
      goodsValuation: "",
      fundedBy: "campaign",
      campaignId: "thang-9-khuyen-hoc-2026",
    });
    expect(SupportGrantRequest.safeParse(body).success).toBe(true);
    expect(body.recipient).toEqual({
      type: "beneficiary",
      beneficiaryId: supportId,
      beneficiaryKind: "teacher",
    });
    expect(body).not.toHaveProperty("goods");
    expect(body.fundedBy).toEqual({ source: "campaign", campaignId: "thang-9-khuyen-hoc-2026" });
  });

  it("given support recorded for today on a morning in Vietnam, when sent, then its time is not ahead of the clock", () => {
    // Given: 07:30 on 2 March 2026 in Vietnam, the form's day today
    const now = new Date("2026-03-02T00:30:00Z");
    // When
    const body = supportBodyOf(supportId, { ...filled, date: "2026-03-02" }, now);
    // Then: the API refuses a time after it received the request (422 occurred_at_in_future)
    expect(body.occurredAt).toBe("2026-03-02T07:30:00+07:00");
    expect(Date.parse(body.occurredAt ?? "")).toBeLessThanOrEqual(now.getTime());
  });

  it("given blanks and words for amounts, when sent, then they are left out or sent as typed, so the API names each", () => {
    const body = supportBodyOf(supportId, {
      ...filled,
      moneyVnd: "một triệu",
      reason: "",
      date: "",
      unitCode: " ",
    });
    expect(body.moneyVnd).toBe("một triệu");
    expect(body).not.toHaveProperty("reason");
    expect(body).not.toHaveProperty("occurredAt");
    expect(body).not.toHaveProperty("unitCode");
    const parsed = SupportGrantRequest.safeParse(body);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["moneyVnd", "reason", "occurredAt", "unitCode"]));
    // every one of them has a field to be said beside
    for (const path of paths) expect(supportFieldOf(path)).toBeDefined();
  });

  it("given any typed amount, when sent, then it is a whole number of VND, the text as typed, or left out", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map((n) => n.toLocaleString("vi-VN")),
        ),
        (money) => {
          const body = supportBodyOf(supportId, { ...filled, moneyVnd: money });
          if (money.trim() === "") expect(body).not.toHaveProperty("moneyVnd");
          else if (typeof body.moneyVnd === "number") {
            expect(Number.isInteger(body.moneyVnd) && body.moneyVnd >= 0).toBe(true);
            expect(String(body.moneyVnd)).toBe(money.replace(/[.\s,₫đ]/g, "").replace(/^0+(?=\d)/, ""));
          } else expect(body.moneyVnd).toBe(money.trim());
        },
      ),
    );
  });
});
