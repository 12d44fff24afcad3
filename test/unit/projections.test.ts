import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldDeltas, mergeDeltas } from "#domain/projection.ts";
import { campaignPartition, campaignPledges, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
import type { Contribution } from "#domain/projections/contract.ts";
import { projections } from "#domain/projections/index.ts";
import { unitsOn } from "#domain/units.ts";
import type { DomainEvent } from "#events/index.ts";
import { aPledge } from "../helpers/events.ts";

type Items = Map<string, Record<string, number>>;

/** What storage would hold after applying the contributions once each: counters summed per item. */
const applied = (contributions: readonly Contribution[]): Map<string, Items> => {
  const partitions = new Map<string, Items>();
  for (const { target, add } of contributions) {
    const items = partitions.get(target.partition) ?? new Map<string, Record<string, number>>();
    partitions.set(target.partition, items);
    const counters = items.get(target.item) ?? {};
    items.set(target.item, counters);
    for (const [name, n] of Object.entries(add)) counters[name] = (counters[name] ?? 0) + n;
  }
  return partitions;
};

/** DynamoDB's item size: attribute name bytes plus about one byte per two digits of a number, plus one. */
const itemBytes = (counters: Record<string, number>): number =>
  Object.entries(counters).reduce(
    (sum, [name, n]) => sum + name.length + Math.ceil(String(n).length / 2) + 1,
    0,
  );

const pledgeArb = fc.record({
  unitCode: fc.constantFrom("00004", "00091", "01", "79", "26734"),
  occurredAt: fc.constantFrom(
    "2026-09-01T23:30:00+07:00",
    "2026-09-01T17:30:00Z",
    "2026-09-30T08:00:00+07:00",
  ),
  money: fc.boolean(),
  amount: fc.integer({ min: 1, max: 1_000_000_000 }),
});

describe("the campaign pledge projection", () => {
  it("is registered, and reads only pledges", () => {
    expect(projections.map((p) => p.name)).toContain("campaign-pledges");
    expect(campaignPledges.eventTypes).toEqual(["DonationPledged"]);
  });

  it("given any pledges, when applied once each and read back, then the view is the one the old fold gave", () => {
    fc.assert(
      fc.property(fc.array(pledgeArb, { maxLength: 30 }), (specs) => {
        // Given
        const events: DomainEvent[] = specs.map((s) =>
          aPledge({
            eventId: crypto.randomUUID(),
            unitCode: s.unitCode,
            occurredAt: s.occurredAt,
            contribution: s.money
              ? { kind: "money", amountVnd: s.amount }
              : { kind: "in-kind", description: "sách", valuationVnd: s.amount },
          }),
        );
        // When
        const stored = applied(events.flatMap(campaignPledges.contributions));
        const items = stored.get(campaignPartition("thang-9-khuyen-hoc-2026")) ?? new Map();
        // Then
        const old = foldDeltas(events).get("thang-9-khuyen-hoc-2026");
        const expected = mergeDeltas("thang-9-khuyen-hoc-2026", old === undefined ? [] : [old]);
        expect(campaignViewOf("thang-9-khuyen-hoc-2026", items)).toEqual(expected);
      }),
    );
  });

  it("given pledges from all 3,321 communes of 2025 on every day of a month, then every item stays under 8 KB", () => {
    // Given
    const communes = unitsOn("2025-07-01", "commune");
    expect(communes).toHaveLength(3321);
    const events = communes.map((unit, i) =>
      aPledge({
        eventId: crypto.randomUUID(),
        unitCode: unit.code,
        occurredAt: `2026-08-${String((i % 31) + 1).padStart(2, "0")}T10:00:00+07:00`,
        contribution:
          i % 2 === 0
            ? { kind: "money", amountVnd: 999_999_999_999 }
            : { kind: "in-kind", description: "sách", valuationVnd: 999_999_999_999 },
      }),
    );
    // When
    const stored = applied([...events, ...events].flatMap(campaignPledges.contributions));
    // Then
    const sizes = [...stored.values()].flatMap((items) => [...items.values()].map(itemBytes));
    expect(sizes.length).toBeGreaterThan(30);
    expect(Math.max(...sizes)).toBeLessThan(8 * 1024);
  });
});
