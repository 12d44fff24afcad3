import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { supportProjection } from "#domain/projections/support.ts";
import { corrected, granted, grantFacts, revoked } from "../helpers/family-events.ts";
import { countersAt, fold, summed } from "../helpers/fold-contributions.ts";

// Two old Lào Cai communes of district 080 (province 10 before 2025), both merged into 02647 of today's 15.
const DUYEN_HAI = "02635";
const COC_LEU = "02644";

describe("the support projection", () => {
  it("counts a grant as one lượt with its money, in-kind, reason, kind and month in every unit of its time", () => {
    // Given a 2018 grant in an old commune
    const grant = grantFacts({ unitCode: DUYEN_HAI, moneyVnd: 1_000_000, inKindVnd: 250_000 });
    // When it is projected
    const folded = fold(supportProjection, [granted(grant)]);
    // Then the commune, its district, its province and the nation (historic) each hold it once
    const expected = {
      n: 1,
      p: 1,
      m: 1_000_000,
      k: 250_000,
      "r#hardship#n": 1,
      "r#hardship#m": 1_000_000,
      "r#hardship#k": 250_000,
      "b#student#n": 1,
      "mo#09#n": 1,
      "mo#09#m": 1_000_000,
      "mo#09#k": 250_000,
    };
    expect(countersAt(folded, "sup#02635@0001-01-01#2018")).toEqual(expected);
    expect(countersAt(folded, "sup#080@0001-01-01#2018")).toEqual(expected);
    expect(countersAt(folded, "sup#10@0001-01-01#2018")).toEqual(expected);
    expect(countersAt(folded, "sup#VN#h#2018", "p#10@0001-01-01")).toEqual(expected);
    // and today's commune, province and nation hold it too
    expect(countersAt(folded, "sup#02647@2025-07-01#2018")).toEqual(expected);
    expect(countersAt(folded, "sup#15@2025-07-01#2018")).toEqual(expected);
    expect(countersAt(folded, "sup#VN#c#2018", "p#15@2025-07-01")).toEqual(expected);
  });

  it("counts a person supported in two communes as two lượt but one person wherever the communes meet", () => {
    // Given one student supported in two communes of one district in 2018
    const person = randomUUID();
    const recipient = {
      type: "beneficiary" as const,
      beneficiaryId: person,
      beneficiaryKind: "student" as const,
    };
    const events = [
      granted(grantFacts({ unitCode: DUYEN_HAI, recipient })),
      granted(grantFacts({ unitCode: COC_LEU, recipient })),
      granted(grantFacts({ unitCode: COC_LEU, recipient })),
    ];
    // When they are projected
    const folded = fold(supportProjection, events);
    // Then each commune counts the person once, and the district, province and nation once in all
    expect(countersAt(folded, "sup#02635@0001-01-01#2018")).toMatchObject({ n: 1, p: 1 });
    expect(countersAt(folded, "sup#02644@0001-01-01#2018")).toMatchObject({ n: 2, p: 1 });
    expect(countersAt(folded, "sup#080@0001-01-01#2018")).toMatchObject({ n: 3, p: 1 });
    expect(summed(folded, "sup#VN#h#2018")).toMatchObject({ n: 3, p: 1 });
    // and in today's units the two old communes are one commune with one person
    expect(countersAt(folded, "sup#02647@2025-07-01#2018")).toMatchObject({ n: 3, p: 1 });
  });

  it("counts a collective recipient's lượt by its kind and no person", () => {
    // Given a grant of goods to a school
    const grant = grantFacts({
      recipient: { type: "collective", kind: "school", name: "Trường Tiểu học Nghĩa Đô" },
      reason: "study-equipment",
      moneyVnd: 0,
      inKindVnd: 30_000_000,
    });
    // When it is projected
    const folded = fold(supportProjection, [granted(grant)]);
    // Then it is a lượt of the school kind, in kind only, and nobody is counted as a person
    expect(countersAt(folded, "sup#02635@0001-01-01#2018")).toEqual({
      n: 1,
      k: 30_000_000,
      "r#study-equipment#n": 1,
      "r#study-equipment#k": 30_000_000,
      "b#school#n": 1,
      "mo#09#n": 1,
      "mo#09#k": 30_000_000,
    });
  });

  it("moves the figures by the difference when a grant is corrected, keeping one lượt", () => {
    // Given a grant recorded as 1,000,000 for hardship, then corrected to 600,000 for high achievement
    const grant = grantFacts({ moneyVnd: 1_000_000 });
    const events = [
      granted(grant),
      corrected(grant, { reason: "high-achievement", moneyVnd: 600_000, inKindVnd: 0 }),
    ];
    // When both are projected
    const folded = fold(supportProjection, events);
    // Then the unit holds the corrected grant and no trace of the reason it no longer has
    const counters = Object.fromEntries(
      Object.entries(countersAt(folded, "sup#02635@0001-01-01#2018")).filter(([, v]) => v !== 0),
    );
    expect(counters).toEqual({
      n: 1,
      p: 1,
      m: 600_000,
      "r#high-achievement#n": 1,
      "r#high-achievement#m": 600_000,
      "b#student#n": 1,
      "mo#09#n": 1,
      "mo#09#m": 600_000,
    });
  });

  it("adds nothing for a correction that changes nothing", () => {
    // Given a correction that restates the grant
    const grant = grantFacts();
    // When it is projected / Then it contributes nothing
    expect(supportProjection.contributions(corrected(grant, grant))).toEqual([]);
  });

  it("takes the lượt and amounts back when a grant is revoked, but not the person", () => {
    // Given a grant and its revocation
    const grant = grantFacts({ moneyVnd: 2_000_000 });
    // When both are projected
    const folded = fold(supportProjection, [granted(grant), revoked(grant)]);
    // Then lượt and money are back to zero, and the person stays counted (people ever supported)
    const counters = countersAt(folded, "sup#15@2025-07-01#2018");
    expect(counters).toMatchObject({ n: 0, m: 0, "r#hardship#n": 0, "mo#09#n": 0, p: 1 });
  });

  it("reads a grant after the 2025 reform in one set of partitions for both views", () => {
    // Given a grant in a commune of today
    const grant = grantFacts({ unitCode: "04252", occurredAt: "2026-09-20T09:00:00+07:00" });
    // When it is projected
    const contributions = supportProjection.contributions(granted(grant));
    // Then its commune, province and nation are written once each: after the reform the two views are one
    expect(contributions.map((c) => `${c.target.partition} ${c.target.item}`).sort()).toEqual([
      "sup#04252@2025-07-01#2026 t",
      "sup#15@2025-07-01#2026 t",
      "sup#VN#2026 p#15@2025-07-01",
    ]);
  });

  it("dates a grant by its day in Vietnam: 31 December 20:00 UTC is the next year", () => {
    // Given a grant at 2018-12-31T20:00Z, which is 1 January 2019 in Vietnam
    const grant = grantFacts({ occurredAt: "2018-12-31T20:00:00Z" });
    // When it is projected / Then it counts in 2019, month 01
    const folded = fold(supportProjection, [granted(grant)]);
    expect(countersAt(folded, "sup#02635@0001-01-01#2019")).toMatchObject({ n: 1, "mo#01#n": 1 });
  });
});
