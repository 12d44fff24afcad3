import type { Projection } from "#domain/projections/contract.ts";
import type { DomainEvent } from "#events/index.ts";

/** Counters by partition, then item: what storage would hold after applying each event once. */
export type Folded = Map<string, Map<string, Record<string, number>>>;

/**
 * The meaning of the contract in memory, for tests of pure projections: `add` sums, and a `firsts` counter
 * adds 1 only the first time its member is seen in its set. Not the engine; its reference.
 */
export const fold = (projection: Projection, events: readonly DomainEvent[]): Folded => {
  const partitions: Folded = new Map();
  const seen = new Map<string, Set<string>>();
  for (const event of events) {
    for (const { target, add, firsts } of projection.contributions(event)) {
      const items = partitions.get(target.partition) ?? new Map<string, Record<string, number>>();
      partitions.set(target.partition, items);
      const counters = items.get(target.item) ?? {};
      items.set(target.item, counters);
      for (const [name, value] of Object.entries(add)) counters[name] = (counters[name] ?? 0) + value;
      for (const { set, member, counter } of firsts ?? []) {
        const members = seen.get(set) ?? new Set<string>();
        seen.set(set, members);
        if (members.has(member)) continue;
        members.add(member);
        counters[counter] = (counters[counter] ?? 0) + 1;
      }
    }
  }
  return partitions;
};

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
