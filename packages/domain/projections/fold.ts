import type { DomainEvent } from "#events/index.ts";
import type { Projection } from "./contract.ts";

/** Counters by partition, then item: what storage holds after applying each event once. */
export type Folded = Map<string, Map<string, Record<string, number>>>;

/**
 * The meaning of the contract in memory: `add` sums, and a `firsts` counter adds 1 only the first time its
 * member is seen in its set. The reference the engine is tested against, and what a rebuild computes.
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
