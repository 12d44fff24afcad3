import { describe, expect, it } from "vitest";
import { assertMatches, differences, MismatchError, truthOf } from "../../bench/check.ts";
import { percentile, spreadOf } from "../../bench/stats.ts";
import { aPledge } from "../helpers/events.ts";

const campaignId = "thang-9-khuyen-hoc-2026";

describe("the benchmark's check against a fold of the distinct events", () => {
  it("counts a resubmitted event once in the truth", () => {
    // Given two pledges, one of them queued twice
    const a = aPledge({ contribution: { kind: "money", amountVnd: 100_000 } });
    const b = aPledge({ contribution: { kind: "money", amountVnd: 50_000 } });
    // When the truth is folded
    const truth = truthOf([a, b, a], campaignId);
    // Then each counts once
    expect(truth.pledged).toEqual({ moneyVnd: 150_000, inKindVnd: 0, count: 2 });
  });

  it("finds a difference in one commune even when the campaign total agrees", () => {
    // Given a projection that filed one pledge under the wrong commune
    const truth = truthOf([aPledge({ unitCode: "04252" }), aPledge({ unitCode: "04000" })], campaignId);
    const wrong = truthOf([aPledge({ unitCode: "04252" }), aPledge({ unitCode: "04252" })], campaignId);
    // When compared
    const found = differences(wrong, truth);
    // Then both communes are named, the campaign is not
    expect(found).toHaveLength(2);
    expect(found.join("\n")).toMatch(/commune 04000: nothing; the events say money 500000/);
    expect(found.join("\n")).not.toMatch(/campaign:/);
  });

  it("finds a difference in goods and by day", () => {
    // Given the same pledge counted on another day, and goods missing
    const goods = { kind: "in-kind" as const, description: "Vở", valuationVnd: 30_000 };
    const truth = truthOf([aPledge({ contribution: goods })], campaignId);
    const wrong = truthOf([aPledge({ occurredAt: "2026-09-06T09:30:00+07:00" })], campaignId);
    // When compared
    const found = differences(wrong, truth).join("\n");
    // Then the campaign, both days and the goods are named
    expect(found).toMatch(/campaign: money 500000, goods 0, count 1; the events say money 0, goods 30000/);
    expect(found).toMatch(/day 2026-09-05/);
    expect(found).toMatch(/day 2026-09-06/);
  });

  it("stops the run with a MismatchError on a difference, and passes an equal projection", () => {
    // Given
    const events = [aPledge(), aPledge()];
    const truth = truthOf(events, campaignId);
    // When / Then
    expect(() => assertMatches("ours", truthOf(events, campaignId), truth)).not.toThrow();
    expect(() => assertMatches("ours", truthOf(events.slice(1), campaignId), truth)).toThrow(MismatchError);
    expect(() => assertMatches("ours", truthOf(events.slice(1), campaignId), truth)).toThrow(
      /ours: the projection does not match the distinct events/,
    );
  });
});

describe("the benchmark's spread over repeats", () => {
  it("reports the median and the range", () => {
    expect(spreadOf([300, 100, 200])).toEqual({ median: 200, min: 100, max: 300 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
  });

  it("takes percentiles by nearest rank", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
  });
});
