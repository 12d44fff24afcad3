import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "#domain/projections/fold.ts";
import { fundPartition } from "#domain/projections/fund-ledger.ts";
import { projections } from "#domain/projections/index.ts";
import { disclosureReport } from "#domain/reports/disclosure.ts";
import type { DomainEvent } from "#events/index.ts";
import { granted, grantFacts } from "../helpers/family-events.ts";
import {
  BOOKSHELF_FUND,
  BOOKSHELVES,
  cashReceived,
  goodsReceived,
  incomeReversed,
  toCampaign,
  transferReceived,
} from "../helpers/money-events.ts";

const PROVINCE_GENERAL = { unitCode: "15", purpose: "general" } as const;
const funds = [PROVINCE_GENERAL, BOOKSHELF_FUND] as const;

/** Money in and out of the province's two purposes over 2025 and 2026, each fact kept beside its event. */
const aLedger = fc.array(
  fc.record({
    kind: fc.constantFrom("transfer", "cash", "goods", "grant", "reversed-cash"),
    purpose: fc.integer({ min: 0, max: 1 }),
    amount: fc.integer({ min: 1, max: 500 }).map((n) => n * 10_000),
    year: fc.constantFrom(2025, 2026),
  }),
  { maxLength: 40 },
);

interface Row {
  kind: string;
  purpose: number;
  amount: number;
  year: number;
}

const eventsOf = (rows: readonly Row[]) =>
  rows.flatMap((r): DomainEvent[] => {
    const fund = funds[r.purpose] ?? PROVINCE_GENERAL;
    const at = `${r.year}-09-10T10:00:00+07:00`;
    const campaign = fund === BOOKSHELF_FUND ? BOOKSHELVES : undefined;
    switch (r.kind) {
      case "transfer":
        return [transferReceived(r.amount, toCampaign(campaign ?? "quy-khuyen-tai-xa-2026", fund), at)];
      case "cash":
        return [cashReceived(r.amount, fund, campaign, at)];
      case "goods":
        return [goodsReceived(r.amount, fund, campaign, at)];
      case "grant":
        return [
          granted(
            grantFacts({
              moneyVnd: r.amount,
              occurredAt: at,
              unitCode: "04252",
              fundedBy:
                campaign === undefined
                  ? { source: "fund", fund }
                  : { source: "campaign", campaignId: campaign, fund },
            }),
          ),
        ];
      default: {
        const cash = cashReceived(r.amount, fund, campaign, at);
        return [
          cash,
          incomeReversed(cash, {
            moneyVnd: r.amount,
            inKindVnd: 0,
            receivedAt: at,
            fund,
            campaignId: campaign,
          }),
        ];
      }
    }
  });

describe("annual public disclosure", () => {
  it("states each purpose's received, returned and used in the year, and its money balance to the year's end", () => {
    fc.assert(
      fc.property(aLedger, (rows) => {
        // Given money in and out of the province's fund over two years, folded by the registry
        const items = fold(projections, eventsOf(rows)).get(fundPartition("15")) ?? new Map();
        // When the 2026 disclosure is made
        const report = disclosureReport({ code: "15", name: "Tỉnh Lào Cai" }, 2026, items, () => ({
          vi: "Tủ sách",
          en: "Bookshelves",
        }));
        // Then each purpose's row equals the rows of that purpose counted directly
        const byPurpose = report.sheets[0]?.rows ?? [];
        for (const [i, fund] of funds.entries()) {
          const mine = rows.filter((r) => (funds[r.purpose] ?? PROVINCE_GENERAL) === fund);
          const in2026 = mine.filter((r) => r.year === 2026);
          const sum = (list: readonly Row[], kinds: string[]) =>
            list.filter((r) => kinds.includes(r.kind)).reduce((s, r) => s + r.amount, 0);
          const row = byPurpose.find(
            (r) => r.purpose === (i === 0 ? "Quỹ chung (không hạn định mục đích)" : "Tủ sách"),
          );
          if (mine.length === 0) continue;
          expect(row?.receivedMoney).toBe(sum(in2026, ["transfer", "cash"]));
          expect(row?.receivedGoods).toBe(sum(in2026, ["goods"]));
          expect(row?.reversed).toBe(sum(in2026, ["reversed-cash"]));
          expect(row?.disbursedMoney).toBe(sum(in2026, ["grant"]));
          expect(row?.balance).toBe(sum(mine, ["transfer", "cash"]) - sum(mine, ["grant"]));
        }
      }),
      { numRuns: 60 },
    );
  });
});
