import { describe, expect, it } from "vitest";
import type { Folded } from "#domain/projections/fold.ts";
import { partitionMismatches } from "#local/chaos.ts";

type Counters = Record<string, number>;
/** A partition of items and their counters. */
const items = (...entries: [string, Counters][]) => new Map<string, Counters>(entries);

/** A side that holds `held`, read as `store.readPartition` gives it. */
const reading = (held: Folded) => async (partition: string) => held.get(partition) ?? new Map();

const truth: Folded = new Map([
  [
    "fund#VN",
    items(
      ["general#2026", { receivedMoneyVnd: 500_000, receivedCount: 2 }],
      ["campaign:x#2026", { receivedMoneyVnd: 0, donors: 1 }],
    ),
  ],
]);

describe("the chaos drill's comparison of partitions with a fold", () => {
  it("given a transfer counted twice, when compared, then its counters differ and are named", async () => {
    // Given
    const held: Folded = new Map([
      ["fund#VN", new Map([["general#2026", { receivedMoneyVnd: 750_000, receivedCount: 3 }]])],
    ]);
    // When
    const found = await partitionMismatches(reading(held), truth, ["fund#VN"]);
    // Then (the missing `donors` too: a counter short of the fold is a difference)
    expect(found.mismatched).toBe(3);
    expect(found.examples).toContain("fund#VN general#2026 receivedMoneyVnd: 750000, truth 500000");
  });

  it("given a partition the fold does not know, when compared, then everything in it differs", async () => {
    // Given
    const held: Folded = new Map([["fund#15", new Map([["general#2026", { receivedMoneyVnd: 10_000 }]])]]);
    // When
    const found = await partitionMismatches(reading(held), truth, ["fund#15"]);
    // Then
    expect(found.examples).toEqual(["fund#15 general#2026 receivedMoneyVnd: 10000, truth 0"]);
  });

  it("given a distinct count in another item of its partition, when compared summed, then it agrees; item by item it does not", async () => {
    // Given the member counted under the other item, as another order of events would
    const held: Folded = new Map([
      [
        "fund#VN",
        items(
          ["general#2026", { receivedMoneyVnd: 500_000, receivedCount: 2, donors: 1 }],
          ["campaign:x#2026", { receivedMoneyVnd: 0 }],
        ),
      ],
    ]);
    // When
    const summed = await partitionMismatches(
      reading(held),
      truth,
      ["fund#VN"],
      new Map([["fund#VN", new Set(["donors"])]]),
    );
    const exact = await partitionMismatches(reading(held), truth, ["fund#VN"]);
    // Then
    expect(summed).toEqual({ mismatched: 0, examples: [] });
    expect(exact.mismatched).toBe(2);
  });
});
