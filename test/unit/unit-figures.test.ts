import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assessmentProjection } from "#domain/projections/assessment.ts";
import { sponsorshipProjection } from "#domain/projections/sponsorship.ts";
import { supportProjection } from "#domain/projections/support.ts";
import {
  assessmentFigures,
  countersOf,
  publicSupportFigures,
  readPlan,
  sponsorshipFigures,
  supportFigures,
} from "#domain/unit-figures.ts";
import {
  assessmentRecorded,
  assessmentRegistered,
  granted,
  grantFacts,
  sponsorshipStarted,
} from "../helpers/family-events.ts";
import { type Folded, fold } from "../helpers/fold-contributions.ts";

const TODAY = "2026-11-28";

/** What store.readPartition would return for a plan's partition. */
const read = (folded: Folded, partition: string) => folded.get(partition) ?? new Map();

describe("reading a unit's figures", () => {
  it("reads code 15 in 2019 as Yên Bái in its time and as today's Lào Cai in today's units", () => {
    expect(readPlan("sup", "15", "historic", TODAY, 2019)).toMatchObject({
      partition: "sup#15@0001-01-01#2019",
      unit: { name: "Tỉnh Yên Bái" },
      sumItems: false,
    });
    expect(readPlan("sup", "15", "current", TODAY, 2019)).toMatchObject({
      partition: "sup#15@2025-07-01#2019",
      sumItems: false,
    });
    expect(readPlan("asm", "VN", "current", TODAY, 2026)).toMatchObject({
      partition: "asm#VN#2026",
      sumItems: true,
    });
    expect(readPlan("spo", "99999", "current", TODAY)).toBeUndefined();
  });

  it("reads a district only in its time, and says on which day it read a code", () => {
    // When / Then: Huyện Mù Căng Chải in 2019, read on the last day of that year
    expect(readPlan("asm", "137", "historic", TODAY, 2019)).toMatchObject({
      partition: "asm#137@0001-01-01#2019",
      unit: { level: "district", name: "Huyện Mù Căng Chải" },
      day: "2019-12-31",
    });
    // a district read in 2025 is the district of the first half, on 1 January
    expect(readPlan("asm", "137", "historic", TODAY, 2025)).toMatchObject({ day: "2025-01-01" });
    // no district exists today
    expect(readPlan("sup", "137", "current", TODAY, 2019)).toBeUndefined();
  });

  it("reads a sponsorship code in the year asked for, in one partition for all years", () => {
    // When code 15 is read as of 2019 and as of today
    const yenBai = readPlan("spo", "15", "historic", TODAY, 2019);
    const laoCai = readPlan("spo", "15", "current", TODAY, 2019);
    // Then the year picks the unit and adds nothing to the partition
    expect(yenBai).toMatchObject({ partition: "spo#15@0001-01-01", unit: { name: "Tỉnh Yên Bái" } });
    expect(laoCai).toMatchObject({
      partition: "spo#15@2025-07-01",
      unit: { name: "Tỉnh Lào Cai" },
      day: TODAY,
    });
  });

  it("turns a Yên Bái 2019 year of support into lượt, people and progress towards its 10,000-lượt target", () => {
    // Given three lượt to two people in an old Yên Bái commune in 2019
    const person = randomUUID();
    const recipient = {
      type: "beneficiary" as const,
      beneficiaryId: person,
      beneficiaryKind: "student" as const,
    };
    const commune = "04480"; // an old Yên Bái commune
    const at = "2019-09-10T09:00:00+07:00";
    const events = [
      granted(grantFacts({ unitCode: commune, occurredAt: at, recipient })),
      granted(grantFacts({ unitCode: commune, occurredAt: at, recipient })),
      granted(grantFacts({ unitCode: commune, occurredAt: at, reason: "scholarship" })),
    ];
    const folded = fold(supportProjection, events);
    // When the province is read in its time
    const plan = readPlan("sup", "15", "historic", TODAY, 2019);
    if (plan === undefined) throw new Error("no plan");
    const figures = supportFigures(plan.unit, 2019, countersOf(plan, read(folded, plan.partition)));
    // Then lượt and people differ, and progress is against the target
    expect(figures).toMatchObject({
      luot: 3,
      people: 2,
      moneyVnd: 3_000_000,
      byReason: {
        hardship: { luot: 2, moneyVnd: 2_000_000, inKindVnd: 0 },
        scholarship: { luot: 1, moneyVnd: 1_000_000, inKindVnd: 0 },
      },
      byBeneficiaryKind: { student: 3 },
      byMonth: { "09": { luot: 3, moneyVnd: 3_000_000, inKindVnd: 0 } },
      target: { minLuot: 10_000, percent: 0 },
    });
  });

  it("sums the nation's provinces on read", () => {
    // Given grants in two provinces of today
    const events = [
      granted(grantFacts({ unitCode: "04252", occurredAt: "2026-09-01T09:00:00+07:00" })),
      granted(grantFacts({ unitCode: "00004", occurredAt: "2026-09-01T09:00:00+07:00" })),
    ];
    const folded = fold(supportProjection, events);
    // When the nation is read
    const plan = readPlan("sup", "VN", "current", TODAY, 2026);
    if (plan === undefined) throw new Error("no plan");
    // Then both count
    expect(supportFigures(plan.unit, 2026, countersOf(plan, read(folded, plan.partition)))).toMatchObject({
      luot: 2,
      people: 2,
    });
  });

  it("gives assessments a rate and the target of the scheme in force for that year and kind", () => {
    // Given four families registered in a 2018 commune, three recognised
    const commune = "04480";
    const families = [0, 1, 2, 3].map(() => ({ kind: "learning-family" as const, subjectId: randomUUID() }));
    const events = families.flatMap((f, i) => [
      assessmentRegistered(f, 2018, commune),
      assessmentRecorded(f, 2018, i < 3, commune),
    ]);
    const folded = fold(assessmentProjection, events);
    // When the commune is read for 2018
    const plan = readPlan("asm", commune, "historic", TODAY, 2018);
    if (plan === undefined) throw new Error("no plan");
    const figures = assessmentFigures(plan.unit, 2018, countersOf(plan, read(folded, plan.partition)));
    // Then 75% against Decision 281's 70% target
    expect(figures.byKind).toEqual([
      {
        kind: "learning-family",
        registered: 4,
        assessed: 4,
        recognised: 3,
        ratePercent: 75,
        scheme: { id: "qd-281-2014", version: 1 },
        targetPercent: 70,
      },
    ]);
  });

  it("counts active sponsorships", () => {
    const teacher = randomUUID();
    const folded = fold(sponsorshipProjection, [
      sponsorshipStarted(teacher, randomUUID()),
      sponsorshipStarted(teacher, randomUUID()),
    ]);
    const plan = readPlan("spo", "04252", "current", TODAY);
    if (plan === undefined) throw new Error("no plan");
    expect(sponsorshipFigures(plan.unit, countersOf(plan, read(folded, plan.partition)))).toMatchObject({
      started: 2,
      active: 2,
      teachers: 1,
      students: 2,
      startedByYear: { "2026": 2 },
    });
  });

  it("publishes lượt and amounts but withholds a count of people below the threshold", () => {
    // Given a commune year with 4 lượt to 4 people, then one with 5 people
    const plan = readPlan("sup", "04252", "current", TODAY, 2026);
    if (plan === undefined) throw new Error("no plan");
    const few = supportFigures(plan.unit, 2026, { n: 4, p: 4, m: 4_000_000, "b#student#n": 4 });
    const enough = supportFigures(plan.unit, 2026, { n: 5, p: 5, m: 5_000_000, "b#student#n": 5 });
    // When published / Then
    expect(publicSupportFigures(few)).toMatchObject({
      luot: 4,
      moneyVnd: 4_000_000,
      people: { count: null, suppressed: true },
    });
    expect(publicSupportFigures(enough).people).toEqual({ count: 5 });
    expect(Object.keys(publicSupportFigures(enough))).not.toContain("byReason");
  });

  it("never publishes a count of people or of lượt by kind below the threshold, whatever the counters", () => {
    const plan = readPlan("sup", "04252", "current", TODAY, 2026);
    if (plan === undefined) throw new Error("no plan");
    const count = fc.integer({ min: 0, max: 50 });
    fc.assert(
      fc.property(
        count,
        count,
        count,
        fc.integer({ min: 1, max: 10 }),
        (people, students, teachers, threshold) => {
          // Given any counters of a commune year
          const figures = supportFigures(plan.unit, 2026, {
            n: students + teachers,
            p: people,
            "b#student#n": students,
            "b#teacher#n": teachers,
          });
          // When published
          const published = publicSupportFigures(figures, threshold);
          // Then every count shown of people or of lượt by kind is at least the threshold
          const shown = [published.people, ...published.luotByBeneficiaryKind.cells].map((c) => c.count);
          for (const n of shown) if (n !== null) expect(n).toBeGreaterThanOrEqual(threshold);
          expect(published.people.count).toBe(people >= threshold ? people : null);
        },
      ),
    );
  });

  it("withholds small counts of lượt by kind from the public", () => {
    // Given a commune year with 1 teacher lượt and 9 student lượt
    const plan = readPlan("sup", "04252", "current", TODAY, 2026);
    if (plan === undefined) throw new Error("no plan");
    const figures = supportFigures(plan.unit, 2026, { n: 10, "b#teacher#n": 1, "b#student#n": 9 });
    // When published / Then the small cell and the one that would give it away are withheld
    expect(publicSupportFigures(figures).luotByBeneficiaryKind).toEqual({
      cells: [
        { key: "teacher", count: null, suppressed: true },
        { key: "student", count: null, suppressed: true },
      ],
      total: { count: 10 },
    });
  });
});
