import type { DomainEvent } from "#events/index.ts";
import type { Projection } from "./contract.ts";

/** Counters by partition, then item: what storage holds after applying each event once. */
export type Folded = Map<string, Map<string, Record<string, number>>>;

/** A fold that takes events one at a time, so a caller never holds them all (a rebuild scans millions). */
export interface Folder {
  readonly add: (event: DomainEvent) => void;
  /** The counters so far; the same map keeps growing as events are added. */
  readonly folded: Folded;
  /**
   * The names of `firsts` counters by partition. Which item of a partition counts a member depends on the
   * order events come in when one set spans several items (the nation's set spans its provinces' items), so
   * only their sum over the partition means something: compare them summed.
   */
  readonly firstsCounters: ReadonlyMap<string, ReadonlySet<string>>;
}

/**
 * The meaning of the contract in memory: `add` sums, and a `firsts` counter adds 1 only the first time its
 * member is seen in its set. The sets are shared by every projection given, as the engine's member rows
 * (`m#<member>`, one attribute per set) are: a set name is the projection's own (it starts with its
 * family), so two projections never meet in one. Counters are kept even when they sum to zero, as an
 * `ADD` leaves them. Pure apart from its own state; the rebuild and the projection tests both use it.
 */
export const createFolder = (projections: readonly Projection[]): Folder => {
  const folded: Folded = new Map();
  const seen = new Map<string, Set<string>>();
  const firstsCounters = new Map<string, Set<string>>();
  const add = (event: DomainEvent) => {
    for (const projection of projections) {
      for (const { target, add: counts, firsts } of projection.contributions(event)) {
        const items = folded.get(target.partition) ?? new Map<string, Record<string, number>>();
        folded.set(target.partition, items);
        const counters = items.get(target.item) ?? {};
        items.set(target.item, counters);
        for (const [name, value] of Object.entries(counts)) counters[name] = (counters[name] ?? 0) + value;
        for (const { set, member, counter } of firsts ?? []) {
          const names = firstsCounters.get(target.partition) ?? new Set<string>();
          firstsCounters.set(target.partition, names.add(counter));
          const members = seen.get(set) ?? new Set<string>();
          seen.set(set, members);
          if (members.has(member)) continue;
          members.add(member);
          counters[counter] = (counters[counter] ?? 0) + 1;
        }
      }
    }
  };
  return { add, folded, firstsCounters };
};

/** Every event once through every projection given (one, or the registry): the reference of the engine. */
export const fold = (
  projections: Projection | readonly Projection[],
  events: Iterable<DomainEvent>,
): Folded => {
  const folder = createFolder("contributions" in projections ? [projections] : projections);
  for (const event of events) folder.add(event);
  return folder.folded;
};
