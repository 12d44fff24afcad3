import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { assessmentProjection } from "#domain/projections/assessment.ts";
import { sponsorshipProjection } from "#domain/projections/sponsorship.ts";
import {
  assessmentRecorded,
  assessmentRegistered,
  sponsorshipEnded,
  sponsorshipStarted,
} from "../helpers/family-events.ts";
import { countersAt, fold, summed } from "../helpers/fold-contributions.ts";

describe("the sponsorship projection", () => {
  it("counts starts, ends and distinct teachers and students per unit and by year", () => {
    // Given a teacher sponsoring two students, one of whom finishes the next year
    const [teacher, a, b] = [randomUUID(), randomUUID(), randomUUID()];
    const events = [
      sponsorshipStarted(teacher, a),
      sponsorshipStarted(teacher, b),
      sponsorshipEnded(teacher, a),
    ];
    // When they are projected
    const folded = fold(sponsorshipProjection, events);
    // Then the commune and province hold 2 started, 1 ended, 1 teacher and 2 students
    const expected = { s: 2, e: 1, "y#2026#s": 2, "y#2027#e": 1, tp: 1, sp: 2 };
    expect(countersAt(folded, "spo#04252@2025-07-01")).toEqual(expected);
    expect(countersAt(folded, "spo#15@2025-07-01")).toEqual(expected);
    expect(summed(folded, "spo#VN#c")).toEqual(expected);
  });
});

describe("the assessment projection", () => {
  it("counts registered, assessed and recognised subjects per kind, each subject once", () => {
    // Given two families registered for 2026, one assessed twice (not recognised, then recognised), one not
    const family = { kind: "learning-family" as const, subjectId: randomUUID() };
    const other = { kind: "learning-family" as const, subjectId: randomUUID() };
    const clan = { kind: "learning-clan" as const, subjectId: randomUUID() };
    const events = [
      assessmentRegistered(family, 2026),
      assessmentRegistered(other, 2026),
      assessmentRegistered(clan, 2026),
      assessmentRecorded(family, 2026, false),
      assessmentRecorded(family, 2026, true),
      assessmentRecorded(clan, 2026, false),
    ];
    // When they are projected
    const folded = fold(assessmentProjection, events);
    // Then per kind: families 2 registered, 1 assessed, 1 recognised; clans 1, 1, 0
    const expected = { "fam#r": 2, "fam#a": 1, "fam#ok": 1, "clan#r": 1, "clan#a": 1 };
    expect(countersAt(folded, "asm#04252@2025-07-01#2026")).toEqual(expected);
    expect(countersAt(folded, "asm#15@2025-07-01#2026")).toEqual(expected);
    expect(summed(folded, "asm#VN#2026")).toEqual(expected);
  });

  it("files a result under its assessment year, not the day it was recorded", () => {
    // Given a 2025 result recorded in 2026 (results are reported after the data year)
    const family = { kind: "learning-family" as const, subjectId: randomUUID() };
    const event = { ...assessmentRecorded(family, 2025, true), occurredAt: "2026-02-20T09:00:00+07:00" };
    // When it is projected / Then it counts in 2025
    const folded = fold(assessmentProjection, [event]);
    expect(countersAt(folded, "asm#04252@2025-07-01#2025")).toEqual({ "fam#a": 1, "fam#ok": 1 });
  });
});
