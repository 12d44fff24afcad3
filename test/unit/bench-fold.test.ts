import { describe, expect, it } from "vitest";
import { projections } from "#domain/projections/index.ts";
import type { DomainEvent } from "#events/index.ts";
import { MismatchError } from "../../bench/check.ts";
import { assertPartitionsMatch, foldAll, partitionDifferences } from "../../bench/fold.ts";
import { aPledge } from "../helpers/events.ts";
import { granted, grantFacts } from "../helpers/family-events.ts";
import { fold } from "../helpers/fold-contributions.ts";

/** A side that holds exactly what a fold holds. */
const readerOf = (folded: ReturnType<typeof foldAll>["folded"]) => async (partition: string) =>
  folded.get(partition) ?? new Map<string, Record<string, number>>();

const person = "5f0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b";
// One person supported in a commune of Lào Cai and in one of Hà Nội, in September 2026.
const laoCai = grantFacts({
  recipient: { type: "beneficiary", beneficiaryId: person, beneficiaryKind: "student" },
  occurredAt: "2026-09-05T09:00:00+07:00",
  unitCode: "02647",
});
const haNoi = { ...laoCai, unitCode: "00004" };

describe("the mixed benchmark's fold over every projection", () => {
  it("equals the tests' reference fold of each projection, each event once", () => {
    // Given pledges and grants, one of them queued twice
    const events: DomainEvent[] = [aPledge(), granted(laoCai), granted(haNoi)];
    // When
    const { folded } = foldAll(projections, [...events, events[1] as DomainEvent]);
    // Then
    const reference = new Map(projections.flatMap((p) => [...fold(p, events)]));
    expect(folded).toEqual(reference);
  });

  it("compares a distinct count that may land in either of two items summed over its partition", async () => {
    // Given the person counted in the nation under Hà Nội by the fold's order, and under Lào Cai by a side's
    const truth = foldAll(projections, [granted(haNoi), granted(laoCai)]);
    const other = foldAll(projections, [granted(laoCai), granted(haNoi)]);
    // When compared
    const found = await partitionDifferences(truth, readerOf(other.folded));
    // Then the order does not count as a difference
    expect(found).toEqual([]);
    expect([...truth.orderDependent.values()].some((names) => names.has("p"))).toBe(true);
  });

  it("names each counter a side got wrong, and stops the run on it", async () => {
    // Given a side that missed the second grant
    const truth = foldAll(projections, [granted(laoCai), granted(laoCai)]);
    const missed = foldAll(projections, [granted(laoCai)]);
    // When compared
    const found = await partitionDifferences(truth, readerOf(missed.folded));
    // Then lượt and money are named in every unit of the grant, people are not
    expect(found.length).toBeGreaterThan(0);
    expect(found.join("\n")).toMatch(/ n: 1; the events say 2/);
    expect(found.join("\n")).not.toMatch(/ p: /);
    await expect(assertPartitionsMatch("ours", truth, readerOf(missed.folded))).rejects.toThrow(
      MismatchError,
    );
    await expect(assertPartitionsMatch("ours", truth, readerOf(truth.folded))).resolves.toBeUndefined();
  });
});
