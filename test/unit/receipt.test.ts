import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANONYMOUS_DONOR, receiptOf, vndInFigures, vndInWords } from "#domain/receipt.ts";
import type { CampaignDefinition } from "#events/campaign.ts";
import { renderReceiptPdf } from "#functions/donation-status/receipt-pdf.ts";
import { aPledge } from "../helpers/events.ts";
import { pdfText } from "../helpers/pdf-text.ts";

const bookshelves: CampaignDefinition = {
  id: "tu-sach-dinh-huu-du-2026",
  name: { vi: "Tủ sách khuyến học Đinh Hữu Dư 2026", en: "Đinh Hữu Dư study-promotion bookshelves 2026" },
  kind: "bookshelf-project",
  window: { from: "2026-06-01", to: "2026-12-31" },
  goals: {},
  units: ["15"],
  restrictedPurpose: "Tủ sách khuyến học cho các trường ở Trạm Tấu và Mù Cang Chải",
};

describe("amounts as a Vietnamese receipt writes them", () => {
  it.each([
    [1_500_000, "1.500.000 đ", "Một triệu năm trăm nghìn đồng"],
    [105_000, "105.000 đ", "Một trăm lẻ năm nghìn đồng"],
    [21_000, "21.000 đ", "Hai mươi mốt nghìn đồng"],
    [999, "999 đ", "Chín trăm chín mươi chín đồng"],
  ])("writes %i as %s, in words %s", (amount, figures, words) => {
    expect(vndInFigures(amount)).toBe(figures);
    expect(vndInWords(amount)).toBe(words);
  });

  it("groups any amount by threes with dots, and words it from a capital to `đồng`", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000_000_000 }), (amount) => {
        const figures = vndInFigures(amount);
        expect(figures).toMatch(/^\d{1,3}(\.\d{3})* đ$/);
        expect(Number(figures.slice(0, -2).replaceAll(".", ""))).toBe(amount);
        expect(vndInWords(amount)).toMatch(/^\p{Lu}[\p{L} ]* đồng$/u);
      }),
    );
  });
});

describe("what a receipt says", () => {
  it("given an anonymous pledge, when worded, then it names no donor and dates it on Vietnam's day", () => {
    // Given: 20:30 UTC on 4 September is 03:30 on 5 September in Vietnam
    const pledge = aPledge({
      campaignId: bookshelves.id,
      occurredAt: "2026-09-04T20:30:00Z",
      donor: { kind: "individual", name: "Trần Thị Bích", anonymous: true },
      contribution: { kind: "money", amountVnd: 1_500_000 },
    });
    // When
    const receipt = receiptOf(pledge, bookshelves, { state: "pledged" });
    // Then
    expect(receipt).toMatchObject({
      association: "Hội Khuyến học tỉnh Lào Cai",
      donor: ANONYMOUS_DONOR,
      amountFigures: "1.500.000 đ",
      amountWords: "Một triệu năm trăm nghìn đồng",
      campaign: bookshelves.name.vi,
      restrictedPurpose: bookshelves.restrictedPurpose,
      day: "05/09/2026",
      number: expect.stringMatching(/^KH[0-9A-Z]{9}$/),
    });
    expect(JSON.stringify(receipt)).not.toContain("Trần Thị Bích");
  });

  it("names a nationwide campaign's fund the national association, and goods by their value", () => {
    // Given
    const national = { ...bookshelves, units: ["VN"], restrictedPurpose: undefined };
    const goods = {
      kind: "in-kind",
      description: "300 bộ sách giáo khoa",
      valuationVnd: 45_000_000,
    } as const;
    // When
    const receipt = receiptOf(aPledge({ contribution: goods }), national, { state: "pledged" });
    // Then
    expect(receipt).toMatchObject({
      association: "Hội Khuyến học Việt Nam",
      goods: "300 bộ sách giáo khoa",
      amountWords: "Bốn mươi lăm triệu đồng",
    });
    expect(receipt.restrictedPurpose).toBeUndefined();
  });

  it("says received, with what arrived, once the caller knows it", () => {
    const receipt = receiptOf(aPledge(), bookshelves, {
      state: "received",
      amountVnd: 400_000,
      day: "2026-09-07",
    });
    expect(receipt).toMatchObject({ state: "Đã nhận", amountFigures: "400.000 đ", day: "07/09/2026" });
  });
});

describe("the receipt's PDF", () => {
  it("given a receipt, when rendered, then its text reads back with every Vietnamese mark", async () => {
    // Given
    const pledge = aPledge({
      campaignId: bookshelves.id,
      donor: { kind: "individual", name: "Nguyễn Thị Hồng Nhung", anonymous: true },
      contribution: { kind: "money", amountVnd: 1_500_000 },
    });
    const receipt = receiptOf(pledge, bookshelves, { state: "pledged" });
    // When
    const pdf = await renderReceiptPdf(receipt);
    const [page, ...others] = await pdfText(pdf);
    // Then
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(others).toEqual([]);
    const text = (page ?? "").normalize("NFC").replace(/\s+/g, " ");
    for (const expected of [
      "HỘI KHUYẾN HỌC TỈNH LÀO CAI",
      "BIÊN NHẬN ỦNG HỘ",
      `Số: ${receipt.number}`,
      "Nhà hảo tâm",
      "1.500.000 đ",
      "Một triệu năm trăm nghìn đồng",
      "Tủ sách khuyến học Đinh Hữu Dư 2026",
      "Trạm Tấu và Mù Cang Chải",
      "Đã cam kết ủng hộ",
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain("Nguyễn Thị Hồng Nhung");
  });
});
