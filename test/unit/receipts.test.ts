import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fulfilmentOf } from "#domain/campaign.ts";
import { codeOf, donationCodeOf, receiptNumberOf } from "#domain/donation-code.ts";
import { OccurredAtInFuture } from "#domain/errors.ts";
import { NotIncome } from "#domain/fund-errors.ts";
import { fundOfCampaign } from "#domain/funds.ts";
import type { Principal } from "#domain/principal.ts";
import { cashReceivedFrom, goodsReceivedFrom, incomeReversedFrom } from "#domain/receipts.ts";
import { DomainEvent } from "#events/index.ts";
import { type CashReceiptRequest, ReceiptNumber } from "#events/payment.ts";
import { BOOKSHELF_FUND, BOOKSHELVES, transferReceived, unmatched } from "../helpers/money-events.ts";
import { lateClock } from "../helpers/staff-routes.ts";

const staff: Principal = { subject: "staff-04252", role: "unit-staff", scope: "04252" };

const cash = (over: Partial<CashReceiptRequest> = {}): CashReceiptRequest => ({
  receiptId: randomUUID(),
  unitCode: "04252",
  occurredAt: "2026-09-12T15:00:00+07:00",
  amountVnd: 1_250_000,
  origin: { kind: "piggy-bank", school: "Trường Tiểu học Yên Ninh", class: "5A" },
  campaignId: BOOKSHELVES,
  ...over,
});

describe("receipt numbers", () => {
  it("are PT, 8 payload characters and a check character, the same payload a donation code of that id would have", () => {
    fc.assert(
      fc.property(fc.uuid(), (id) => {
        // Given / When
        const number = receiptNumberOf(id);
        // Then
        expect(ReceiptNumber.safeParse(number).success).toBe(true);
        expect(number.slice(2)).toBe(donationCodeOf(id).slice(2));
        expect(codeOf("KH", id)).toBe(donationCodeOf(id));
      }),
    );
  });
});

describe("staff receipts", () => {
  it("given the same receiptId and body twice, when turned into events, then they are one event with one receipt number, valid against the contract", () => {
    // Given
    const body = cash();
    // When
    const [first, second] = [1, 2].map(() => cashReceivedFrom(body, BOOKSHELF_FUND, staff, lateClock()));
    // Then
    expect(second).toEqual(first);
    expect(first?.receiptNumber).toBe(receiptNumberOf(first?.eventId ?? ""));
    expect(DomainEvent.parse(first)).toEqual(first);
    expect(first?.data.fund).toEqual(BOOKSHELF_FUND);
  });

  it("given other content under the same receiptId, when turned into an event, then the id is the same and the content hash differs", () => {
    const body = cash();
    const a = cashReceivedFrom(body, BOOKSHELF_FUND, staff, lateClock());
    const b = cashReceivedFrom({ ...body, amountVnd: 1 }, BOOKSHELF_FUND, staff, lateClock());
    expect(b.eventId).toBe(a.eventId);
    expect(b.source.contentHash).not.toBe(a.source.contentHash);
  });

  it("given a receipt dated after the server's clock, when turned into an event, then 422 occurred_at_in_future", () => {
    expect(() =>
      cashReceivedFrom(cash({ occurredAt: "2027-01-01T00:00:00+07:00" }), BOOKSHELF_FUND, staff, lateClock()),
    ).toThrow(OccurredAtInFuture);
  });
});

describe("reversals", () => {
  it("given goods received, when reversed, then the reversal restates their value, fund, campaign and date, under an id of the goods alone", () => {
    // Given
    const goods = goodsReceivedFrom(
      {
        receiptId: randomUUID(),
        unitCode: "04252",
        occurredAt: "2026-09-13T15:00:00+07:00",
        description: "200 quyển sách",
        valuationVnd: 4_000_000,
        valuedBy: "Ban thường trực",
        campaignId: BOOKSHELVES,
      },
      BOOKSHELF_FUND,
      staff,
      lateClock(),
    );
    // When
    const reversal = incomeReversedFrom(goods, { reason: "recorded-in-error" }, staff, lateClock());
    const again = incomeReversedFrom(goods, { reason: "recorded-in-error" }, staff, lateClock());
    // Then
    expect(reversal.data).toEqual({
      reversedEventId: goods.eventId,
      reason: "recorded-in-error",
      moneyVnd: 0,
      inKindVnd: 4_000_000,
      receivedAt: goods.occurredAt,
      campaignId: BOOKSHELVES,
      fund: BOOKSHELF_FUND,
    });
    expect(again.eventId).toBe(reversal.eventId);
    expect(DomainEvent.parse(reversal)).toEqual(reversal);
  });

  it("given an unmatched transfer, when reversed, then 422 not_income: it is not income until resolved", () => {
    const waiting = transferReceived(100_000, unmatched());
    expect(() => incomeReversedFrom(waiting, { reason: "refund" }, staff, lateClock())).toThrow(NotIncome);
  });
});

describe("funds of campaigns", () => {
  const campaign = { id: "c", units: ["15"] };
  it("names the single covered unit's fund, the restricted purpose when there is one, and VN for several units", () => {
    expect(fundOfCampaign({ ...campaign, restrictedPurpose: "Tủ sách" })).toEqual({
      unitCode: "15",
      purpose: "campaign:c",
    });
    expect(fundOfCampaign({ ...campaign, units: ["15", "01"] })).toEqual({
      unitCode: "VN",
      purpose: "general",
    });
    expect(fundOfCampaign({ ...campaign, units: ["15", "01"], fundUnit: "01" })).toEqual({
      unitCode: "01",
      purpose: "general",
    });
  });

  it("gives the fulfilment rate as whole percent of the pledged value, none while nothing is pledged", () => {
    const t = (moneyVnd: number, inKindVnd: number) => ({ moneyVnd, inKindVnd, count: 1 });
    expect(fulfilmentOf(t(2_000_000, 1_000_000), t(1_000_000, 999_999))).toEqual({
      pledgedVnd: 3_000_000,
      receivedVnd: 1_999_999,
      percent: 66,
    });
    expect(fulfilmentOf(t(0, 0), t(5, 0))).toEqual({ pledgedVnd: 0, receivedVnd: 5 });
  });
});
