import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { campaignPartition } from "#domain/projections/campaign-pledges.ts";
import { createFolder, type Folded, fold } from "#domain/projections/fold.ts";
import { projections } from "#domain/projections/index.ts";
import { supportProjection } from "#domain/projections/support.ts";
import type { DomainEvent } from "#events/index.ts";
import { aPledge } from "../helpers/events.ts";
import { assessmentRecorded, granted, grantFacts, sponsorshipStarted } from "../helpers/family-events.ts";
import { countersAt, summed } from "../helpers/fold-contributions.ts";

// Two wards of the city of Yên Bái (district 132 of province 15 before the 2025 reform), and a commune of
// Lào Cai (province 10 then), which the reform merged into today's province 15.
const YEN_THINH = "04249";
const YEN_NINH = "04252";
const DUYEN_HAI = "02635";
const PEOPLE = [
  "6f1b0c9e-0d1a-4c57-9a57-6f0b1d2c3e41",
  "0b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c62",
  "c3d2e1f0-a9b8-4c7d-8e6f-5a4b3c2d1e03",
] as const;

/** One student supported twice in 2018, in two wards of one province. */
const supportedTwice = () => {
  const recipient = {
    type: "beneficiary" as const,
    beneficiaryId: PEOPLE[0],
    beneficiaryKind: "student" as const,
  };
  return [
    granted(grantFacts({ unitCode: YEN_THINH, recipient, moneyVnd: 500_000 })),
    granted(grantFacts({ unitCode: YEN_NINH, recipient, moneyVnd: 700_000 })),
  ];
};

/** Maps of maps as plain objects, so that equality ignores the order things were first seen in. */
const plain = (folded: Folded) =>
  Object.fromEntries([...folded].map(([partition, items]) => [partition, Object.fromEntries(items)]));

describe("the fold of every registered projection", () => {
  it("given one person supported twice in one year in two wards of a province, when folded, then each ward counts them once, and so does the province, in the units of the time and today's", () => {
    // Given
    const events = supportedTwice();
    // When
    const folded = fold(projections, events);
    // Then: each ward of 2018 has one lượt and one person
    expect(countersAt(folded, `sup#${YEN_THINH}@0001-01-01#2018`)).toMatchObject({ n: 1, p: 1, m: 500_000 });
    expect(countersAt(folded, `sup#${YEN_NINH}@0001-01-01#2018`)).toMatchObject({ n: 1, p: 1, m: 700_000 });
    // ... their district and province of the time have two lượt and still one person
    expect(countersAt(folded, "sup#132@0001-01-01#2018")).toMatchObject({ n: 2, p: 1, m: 1_200_000 });
    expect(countersAt(folded, "sup#15@0001-01-01#2018")).toMatchObject({ n: 2, p: 1, m: 1_200_000 });
    // ... and so do the nation of the time and today's
    expect(summed(folded, "sup#VN#h#2018")).toMatchObject({ n: 2, p: 1 });
    expect(summed(folded, "sup#VN#c#2018")).toMatchObject({ n: 2, p: 1 });
  });

  it("given events of every family, when folded through the registry, then each projection fills its own partitions as if folded alone", () => {
    // Given
    const events: DomainEvent[] = [
      aPledge({ unitCode: YEN_NINH }),
      ...supportedTwice(),
      granted(grantFacts({ unitCode: DUYEN_HAI })),
      sponsorshipStarted(PEOPLE[1], PEOPLE[2]),
      assessmentRecorded({ kind: "learning-family", subjectId: PEOPLE[1] }, 2026, true),
    ];
    // When
    const together = fold(projections, events);
    // Then
    const apart = projections.map((projection) => plain(fold(projection, events)));
    expect(plain(together)).toEqual(Object.assign({}, ...apart));
    expect(together.has(campaignPartition("thang-9-khuyen-hoc-2026"))).toBe(true);
    expect([...together.keys()].some((p) => p.startsWith("spo#"))).toBe(true);
    expect([...together.keys()].some((p) => p.startsWith("asm#"))).toBe(true);
  });

  it("given events added one at a time, when read, then the folder holds what a fold of them all gives", () => {
    // Given
    const events = [...supportedTwice(), aPledge()];
    const folder = createFolder(projections);
    // When
    for (const event of events) folder.add(event);
    // Then
    expect(plain(folder.folded)).toEqual(plain(fold(projections, events)));
  });

  it("given one person supported in two provinces of the time, when folded in either order, then the nation counts them once, in the province that came first", () => {
    // Given
    const recipient = {
      type: "beneficiary" as const,
      beneficiaryId: PEOPLE[1],
      beneficiaryKind: "student" as const,
    };
    const inLaoCai = granted(grantFacts({ unitCode: DUYEN_HAI, recipient }));
    const inYenBai = granted(grantFacts({ unitCode: YEN_THINH, recipient }));
    // When
    const laoCaiFirst = fold(projections, [inLaoCai, inYenBai]);
    const yenBaiFirst = fold(projections, [inYenBai, inLaoCai]);
    // Then: one person in the nation of the time either way, on the item of the first province
    expect(summed(laoCaiFirst, "sup#VN#h#2018")).toMatchObject({ n: 2, p: 1 });
    expect(summed(yenBaiFirst, "sup#VN#h#2018")).toMatchObject({ n: 2, p: 1 });
    expect(countersAt(laoCaiFirst, "sup#VN#h#2018", "p#10@0001-01-01")).toMatchObject({ n: 1, p: 1 });
    expect(countersAt(yenBaiFirst, "sup#VN#h#2018", "p#15@0001-01-01")).toMatchObject({ n: 1, p: 1 });
    // ... which is why the fold names its firsts counters: they compare summed over the partition
    expect(createFolder(projections).firstsCounters.size).toBe(0);
    const folder = createFolder(projections);
    folder.add(inLaoCai);
    expect([...(folder.firstsCounters.get("sup#VN#h#2018") ?? [])]).toEqual(["p"]);
  });

  it("given the same member twice in a set, when folded, then its first counts once and a sum counts twice", () => {
    // Given
    const events = supportedTwice();
    // When
    const folded = fold(supportProjection, [...events, ...events]);
    // Then
    expect(countersAt(folded, "sup#15@0001-01-01#2018")).toMatchObject({ n: 4, p: 1 });
  });
});

const grantArb = fc.record({
  person: fc.constantFrom(...PEOPLE),
  unitCode: fc.constantFrom(YEN_THINH, YEN_NINH, DUYEN_HAI),
  year: fc.constantFrom(2018, 2024),
  moneyVnd: fc.integer({ min: 0, max: 50_000_000 }),
});
const eventArb: fc.Arbitrary<DomainEvent> = fc.oneof(
  grantArb.map(({ person, unitCode, year, moneyVnd }) =>
    granted(
      grantFacts({
        recipient: { type: "beneficiary", beneficiaryId: person, beneficiaryKind: "student" },
        unitCode,
        moneyVnd,
        occurredAt: `${year}-09-05T09:00:00+07:00`,
      }),
    ),
  ),
  fc
    .record({
      unitCode: fc.constantFrom(YEN_THINH, YEN_NINH),
      amountVnd: fc.integer({ min: 1, max: 9_000_000 }),
    })
    .map(({ unitCode, amountVnd }) => aPledge({ unitCode, contribution: { kind: "money", amountVnd } })),
  fc
    .record({ teacher: fc.constantFrom(...PEOPLE), student: fc.constantFrom(...PEOPLE) })
    .map(({ teacher, student }) => sponsorshipStarted(teacher, student)),
  fc
    .record({ subject: fc.constantFrom(...PEOPLE), recognised: fc.boolean() })
    .map(({ subject, recognised }) =>
      assessmentRecorded({ kind: "learning-family", subjectId: subject }, 2026, recognised),
    ),
);
const eventsAndOrder = fc
  .array(eventArb, { maxLength: 25 })
  .chain((events) =>
    fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
  );

/** The registry without its `firsts`: what the `add` counters alone make. */
const addsOnly = projections.map((projection) => ({
  ...projection,
  contributions: (event: DomainEvent) =>
    projection.contributions(event).map(({ target, add }) => ({ target, add })),
}));
/** Every partition's items summed, as a read of the nation does. */
const partitionSums = (folded: Folded) =>
  Object.fromEntries([...folded.keys()].map((partition) => [partition, summed(folded, partition)]));

describe("the fold, for any events", () => {
  it("gives the same sums in every item whatever the order the events come in", () => {
    fc.assert(
      fc.property(eventsAndOrder, ([events, shuffled]) => {
        expect(plain(fold(addsOnly, shuffled))).toEqual(plain(fold(addsOnly, events)));
      }),
    );
  });

  it("gives the same partitions, summed, firsts included, whatever the order", () => {
    fc.assert(
      fc.property(eventsAndOrder, ([events, shuffled]) => {
        expect(partitionSums(fold(projections, shuffled))).toEqual(partitionSums(fold(projections, events)));
      }),
    );
  });

  it("counts each person once per year in the nation, whatever the order", () => {
    fc.assert(
      fc.property(eventsAndOrder, ([events, shuffled]) => {
        for (const year of ["2018", "2024"]) {
          const people = new Set(
            events.flatMap((e) =>
              e.type === "SupportGranted" &&
              e.occurredAt.startsWith(year) &&
              e.data.recipient.type === "beneficiary"
                ? [e.data.recipient.beneficiaryId]
                : [],
            ),
          );
          const folded = fold(projections, shuffled);
          expect(summed(folded, `sup#VN#h#${year}`).p ?? 0).toBe(people.size);
          expect(summed(folded, `sup#VN#c#${year}`).p ?? 0).toBe(people.size);
        }
      }),
    );
  });
});
