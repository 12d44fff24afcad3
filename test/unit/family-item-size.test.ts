import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assessmentProjection } from "#domain/projections/assessment.ts";
import { supportProjection } from "#domain/projections/support.ts";
import { unitsOn } from "#domain/units.ts";
import { assessmentRecorded, assessmentRegistered, granted, grantFacts } from "../helpers/family-events.ts";
import { fold } from "../helpers/fold-contributions.ts";

/** DynamoDB's item size: attribute names and numbers (at most 21 bytes each) plus the keys. */
const sizeOf = (partition: string, item: string, counters: Record<string, number>) =>
  partition.length + item.length + Object.keys(counters).reduce((sum, name) => sum + name.length + 21, 0);

describe("family projection items across the country", () => {
  it("stay under 8 KB with grants and assessments in all 3,321 communes, every reason, kind and month", () => {
    // Given a grant for every reason and month and an assessment of every kind in every commune of today
    const communes = unitsOn("2026-01-01", "commune");
    const reasons = [
      "hardship",
      "high-achievement",
      "overcoming-hardship",
      "scholarship",
      "study-equipment",
      "other",
    ] as const;
    const grants = communes.map((c, i) =>
      granted(
        grantFacts({
          unitCode: c.code,
          reason: reasons[i % reasons.length] ?? "other",
          inKindVnd: 1,
          occurredAt: `2026-${String((i % 12) + 1).padStart(2, "0")}-10T09:00:00+07:00`,
        }),
      ),
    );
    const kinds = [
      "learning-family",
      "learning-clan",
      "learning-community",
      "learning-unit",
      "commune-learning-community",
    ] as const;
    const assessments = communes.flatMap((c, i) => {
      const subject = { kind: kinds[i % kinds.length] ?? "learning-family", subjectId: randomUUID() };
      return [assessmentRegistered(subject, 2026, c.code), assessmentRecorded(subject, 2026, true, c.code)];
    });
    // When they are projected
    const folded = [fold(supportProjection, grants), fold(assessmentProjection, assessments)];
    // Then every item is small, and the nation is one item per province
    expect(communes).toHaveLength(3321);
    let largest = 0;
    for (const partitions of folded)
      for (const [partition, items] of partitions)
        for (const [item, counters] of items) largest = Math.max(largest, sizeOf(partition, item, counters));
    expect(largest).toBeLessThan(8 * 1024);
    expect(folded[0]?.get("sup#VN#2026")?.size).toBe(34);
  });
});
