import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { campaignPartition } from "#domain/projections/campaign-pledges.ts";
import { fold } from "#domain/projections/fold.ts";
import {
  CAMPAIGN_RECEIVED_ITEM,
  campaignReceivedOf,
  fundLedger,
  fundPartition,
  fundYearsOf,
  receivedMoneyOf,
} from "#domain/projections/fund-ledger.ts";
import { projections } from "#domain/projections/index.ts";
import type { DomainEvent } from "#events/index.ts";
import { corrected, granted, grantFacts, revoked } from "../helpers/family-events.ts";
import { countersAt } from "../helpers/fold-contributions.ts";
import {
  BOOKSHELF_FUND,
  BOOKSHELVES,
  CENTRAL_FUND,
  cashReceived,
  goodsReceived,
  incomeReversed,
  SEPTEMBER,
  toCampaign,
  transferDismissed,
  transferMatched,
  transferReceived,
  transferSent,
  unmatched,
} from "../helpers/money-events.ts";

const BOOKSHELF_2026 = `${BOOKSHELF_FUND.purpose}#2026`;
const bookshelfItem = (events: DomainEvent[], item = BOOKSHELF_2026) =>
  countersAt(fold(fundLedger, events), fundPartition("15"), item);
const receivedBy = (events: DomainEvent[], campaignId: string) =>
  campaignReceivedOf(fold(fundLedger, events).get(campaignPartition(campaignId)) ?? new Map());

/** The money an event brought in, read from the event alone (the test's own statement of the rule). */
const moneyIn = (e: DomainEvent): number => {
  if (e.type === "BankTransferReceived")
    return e.data.match.kind === "unmatched" ? 0 : e.data.transfer.amountVnd;
  if (e.type === "TransferMatched") return e.data.amountVnd;
  if (e.type === "CashReceived") return e.data.amountVnd;
  return 0;
};

describe("the fund ledger projection", () => {
  it("given a transfer matched to a restricted campaign on arrival, when folded, then its fund's purpose received it in its year and so did the campaign", () => {
    // Given
    const events = [transferReceived(2_000_000, toCampaign(BOOKSHELVES, BOOKSHELF_FUND))];
    // When / Then
    expect(bookshelfItem(events)).toEqual({ rm: 2_000_000, rn: 1 });
    expect(receivedBy(events, BOOKSHELVES)).toEqual({ moneyVnd: 2_000_000, inKindVnd: 0, count: 1 });
  });

  it("given an unmatched transfer, when staff match it to a campaign, then it leaves the unattributed money and becomes received", () => {
    // Given
    const waiting = transferReceived(500_000, unmatched(CENTRAL_FUND));
    expect(countersAt(fold(fundLedger, [waiting]), fundPartition("VN"), "general#2026")).toEqual({
      um: 500_000,
      un: 1,
    });
    // When
    const events = [waiting, transferMatched(waiting, toCampaign(SEPTEMBER, CENTRAL_FUND))];
    // Then
    expect(countersAt(fold(fundLedger, events), fundPartition("VN"), "general#2026")).toEqual({
      um: 0,
      un: 0,
      rm: 500_000,
      rn: 1,
    });
    expect(receivedBy(events, SEPTEMBER)).toEqual({ moneyVnd: 500_000, inKindVnd: 0, count: 1 });
  });

  it("given an unmatched transfer, when staff dismiss it, then it moves from unattributed to dismissed and nothing is received", () => {
    // Given
    const waiting = transferReceived(120_000, unmatched());
    // When
    const folded = fold(fundLedger, [waiting, transferDismissed(waiting)]);
    // Then
    expect(countersAt(folded, fundPartition("VN"), "general#2026")).toEqual({
      um: 0,
      un: 0,
      xm: 120_000,
      xn: 1,
    });
  });

  it("given money sent out of a fund's account, when folded, then it is outgoing and never income", () => {
    // Given / When
    const folded = fold(fundLedger, [transferSent(3_000_000, BOOKSHELF_FUND)]);
    // Then
    expect(countersAt(folded, fundPartition("15"), BOOKSHELF_2026)).toEqual({ om: 3_000_000, on: 1 });
  });

  it("given cash and goods for a campaign, when the cash is refunded, then both the fund and the campaign count the goods only, and the refund shows as reversed", () => {
    // Given
    const cash = cashReceived(800_000, BOOKSHELF_FUND, BOOKSHELVES);
    const goods = goodsReceived(1_500_000, BOOKSHELF_FUND, BOOKSHELVES);
    // When
    const events = [
      cash,
      goods,
      incomeReversed(cash, {
        moneyVnd: 800_000,
        inKindVnd: 0,
        receivedAt: cash.occurredAt,
        fund: BOOKSHELF_FUND,
        campaignId: BOOKSHELVES,
      }),
    ];
    // Then
    expect(bookshelfItem(events)).toEqual({ rm: 0, rk: 1_500_000, rn: 1, vm: 800_000, vn: 1 });
    expect(receivedBy(events, BOOKSHELVES)).toEqual({ moneyVnd: 0, inKindVnd: 1_500_000, count: 1 });
  });

  it("given a transfer booked at 00:30 on 1 January in Vietnam (still 31 December in UTC), when it is received and later reversed, then both count in the Vietnamese year", () => {
    // Given
    const newYear = transferReceived(
      700_000,
      toCampaign(BOOKSHELVES, BOOKSHELF_FUND),
      "2026-12-31T17:30:00Z",
    );
    // When
    const events = [
      newYear,
      incomeReversed(newYear, {
        moneyVnd: 700_000,
        inKindVnd: 0,
        receivedAt: newYear.data.transfer.transactionAt,
        fund: BOOKSHELF_FUND,
        campaignId: BOOKSHELVES,
      }),
    ];
    // Then
    expect(bookshelfItem([newYear], `${BOOKSHELF_FUND.purpose}#2027`)).toEqual({ rm: 700_000, rn: 1 });
    expect(bookshelfItem(events, `${BOOKSHELF_FUND.purpose}#2027`)).toMatchObject({
      rm: 0,
      rn: 0,
      vm: 700_000,
    });
    expect(bookshelfItem(events)).toEqual({});
  });

  it("given grants paid from a restricted purpose and from a unit's fund, when one is corrected and one revoked, then disbursed moves by the difference and the revoked one leaves", () => {
    // Given
    const restricted = grantFacts({
      occurredAt: "2026-10-05T09:00:00+07:00",
      unitCode: "04252",
      moneyVnd: 1_000_000,
      fundedBy: { source: "campaign", campaignId: BOOKSHELVES, fund: BOOKSHELF_FUND },
    });
    // A grant recorded before grants named their fund: paid from its unit's general fund.
    const older = grantFacts({
      occurredAt: "2026-10-06T09:00:00+07:00",
      unitCode: "04252",
      inKindVnd: 50_000,
    });
    // When
    const events = [
      granted(restricted),
      granted(older),
      corrected(restricted, { reason: "hardship", moneyVnd: 600_000, inKindVnd: 0 }),
      revoked(older),
    ];
    const folded = fold(fundLedger, events);
    // Then
    expect(countersAt(folded, fundPartition("15"), BOOKSHELF_2026)).toEqual({ dm: 600_000, dn: 1 });
    expect(countersAt(folded, fundPartition("04252"), "general#2026")).toEqual({ dm: 0, dk: 0, dn: 0 });
  });

  it("given a fund's items, when read for people, then each purpose and year shows received, disbursed and the balance, and the purpose's received money sums every year", () => {
    // Given
    const events = [
      cashReceived(1_000_000, BOOKSHELF_FUND, BOOKSHELVES, "2026-09-12T15:00:00+07:00"),
      cashReceived(400_000, BOOKSHELF_FUND, BOOKSHELVES, "2027-02-01T15:00:00+07:00"),
      granted(
        grantFacts({
          occurredAt: "2026-10-05T09:00:00+07:00",
          unitCode: "04252",
          moneyVnd: 300_000,
          fundedBy: { source: "campaign", campaignId: BOOKSHELVES, fund: BOOKSHELF_FUND },
        }),
      ),
      cashReceived(999_000, { unitCode: "15", purpose: "general" }),
    ];
    // When
    const items = fold(fundLedger, events).get(fundPartition("15")) ?? new Map();
    // Then
    expect(
      fundYearsOf(items).map((y) => [y.purpose, y.year, y.received.moneyVnd, y.balance.moneyVnd]),
    ).toEqual([
      [BOOKSHELF_FUND.purpose, "2026", 1_000_000, 700_000],
      [BOOKSHELF_FUND.purpose, "2027", 400_000, 400_000],
      ["general", "2026", 999_000, 999_000],
    ]);
    expect(receivedMoneyOf(items, BOOKSHELF_FUND.purpose)).toBe(1_400_000);
  });

  it("given any sequence of money and grant events, when folded, then every item holds only the named counters, at most 15, and a campaign's received is what its receipts less reversals add", () => {
    const NAMES = new Set([
      "rm",
      "rk",
      "rn",
      "vm",
      "vk",
      "vn",
      "dm",
      "dk",
      "dn",
      "um",
      "un",
      "xm",
      "xn",
      "om",
      "on",
    ]);
    const anEvent = fc.oneof(
      fc
        .integer({ min: 1, max: 10_000_000 })
        .map((n) => [transferReceived(n, toCampaign(BOOKSHELVES, BOOKSHELF_FUND))]),
      fc.integer({ min: 1, max: 10_000_000 }).map((n) => {
        const waiting = transferReceived(n, unmatched(BOOKSHELF_FUND));
        return [waiting, transferMatched(waiting, toCampaign(BOOKSHELVES, BOOKSHELF_FUND))];
      }),
      fc.integer({ min: 1, max: 10_000_000 }).map((n) => [cashReceived(n, BOOKSHELF_FUND, BOOKSHELVES)]),
      fc.integer({ min: 1, max: 10_000_000 }).map((n) => {
        const goods = goodsReceived(n, BOOKSHELF_FUND, BOOKSHELVES);
        return [
          goods,
          incomeReversed(goods, {
            moneyVnd: 0,
            inKindVnd: n,
            receivedAt: goods.occurredAt,
            fund: BOOKSHELF_FUND,
            campaignId: BOOKSHELVES,
          }),
        ];
      }),
      fc.integer({ min: 1, max: 10_000_000 }).map((n) => [transferSent(n, BOOKSHELF_FUND)]),
    );
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 30 }), (groups) => {
        // Given
        const events = groups.flat();
        // When
        const folded = fold(fundLedger, events);
        // Then
        for (const [partition, items] of folded)
          for (const [item, counters] of items) {
            const names = Object.keys(counters);
            if (partition.startsWith("fund#")) expect(names.every((n) => NAMES.has(n))).toBe(true);
            else expect(item).toBe(CAMPAIGN_RECEIVED_ITEM);
            expect(names.length).toBeLessThanOrEqual(15);
          }
        const money = events.reduce((sum, e) => sum + moneyIn(e), 0);
        expect(receivedBy(events, BOOKSHELVES).moneyVnd).toBe(money);
        expect(receivedBy(events, BOOKSHELVES).inKindVnd).toBe(0);
      }),
      { numRuns: 50 },
    );
  });

  it("given money events among others, when folded through the registry, then the fund ledger adds its own partitions and the campaign's received item beside the pledges", () => {
    // Given
    const events = [
      transferReceived(2_000_000, toCampaign(SEPTEMBER, CENTRAL_FUND)),
      cashReceived(300_000, CENTRAL_FUND, SEPTEMBER),
    ];
    // When
    const together = fold(projections, events);
    // Then
    expect(together.get(campaignPartition(SEPTEMBER))?.get(CAMPAIGN_RECEIVED_ITEM)).toEqual({
      m: 2_300_000,
      n: 2,
    });
    expect(countersAt(together, fundPartition("VN"), "general#2026")).toEqual({ rm: 2_300_000, rn: 2 });
  });
});
