import { type Folded, fold } from "#domain/projections/fold.ts";

export { type Folded, fold };

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
