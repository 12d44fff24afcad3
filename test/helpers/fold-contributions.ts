import type { Folded } from "#domain/projections/fold.ts";

/**
 * The meaning of the contract in memory lives in the domain (`fold`), so that the rebuild and the tests
 * of pure projections share one definition; re-exported here for the tests.
 */
export { type Folded, fold } from "#domain/projections/fold.ts";

/** One item's counters, or an empty record. */
export const countersAt = (folded: Folded, partition: string, item = "t"): Record<string, number> =>
  folded.get(partition)?.get(item) ?? {};

/** A partition's items summed, as a read of the nation does. */
export const summed = (folded: Folded, partition: string): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const counters of folded.get(partition)?.values() ?? [])
    for (const [name, value] of Object.entries(counters)) total[name] = (total[name] ?? 0) + value;
  return total;
};
