import type { Projection } from "#domain/projections/contract.ts";
import type { DomainEvent } from "#events/index.ts";
import { MismatchError } from "./check.ts";

/** Counters by partition, then item. */
export type Folded = Map<string, Map<string, Record<string, number>>>;

/**
 * What every registered projection adds up to over the distinct events, in memory: `add` sums, and a
 * `firsts` counter adds 1 only the first time its member is seen in its set. The meaning of the engine
 * contract (the tests' reference fold, over all projections at once), which both sides of the mixed
 * benchmark must reproduce in DynamoDB.
 *
 * Also returns the counters whose +1 may land in either of several items, depending on which event of a
 * member came first (a person supported in two provinces counts once in the nation, in the item of the
 * province seen first): those are compared summed over their partition, since the sides see the events
 * in another order than this fold.
 */
export const foldAll = (
  projections: readonly Projection[],
  events: readonly DomainEvent[],
): { folded: Folded; orderDependent: Map<string, Set<string>> } => {
  const distinct = [...new Map(events.map((e) => [e.eventId, e])).values()];
  const folded: Folded = new Map();
  const seen = new Map<string, Set<string>>();
  const itemsOfSet = new Map<string, Set<string>>();
  const countersOfSet = new Map<string, Map<string, Set<string>>>();
  for (const projection of projections) {
    for (const event of distinct) {
      for (const { target, add, firsts } of projection.contributions(event)) {
        const items = folded.get(target.partition) ?? new Map<string, Record<string, number>>();
        folded.set(target.partition, items);
        const counters = items.get(target.item) ?? {};
        items.set(target.item, counters);
        for (const [name, value] of Object.entries(add)) counters[name] = (counters[name] ?? 0) + value;
        for (const { set, member, counter } of firsts ?? []) {
          const targets = itemsOfSet.get(set) ?? new Set<string>();
          itemsOfSet.set(set, targets.add(`${target.partition}\n${target.item}`));
          const byPartition = countersOfSet.get(set) ?? new Map<string, Set<string>>();
          countersOfSet.set(set, byPartition);
          byPartition.set(target.partition, (byPartition.get(target.partition) ?? new Set()).add(counter));
          const members = seen.get(set) ?? new Set<string>();
          seen.set(set, members);
          if (members.has(member)) continue;
          members.add(member);
          counters[counter] = (counters[counter] ?? 0) + 1;
        }
      }
    }
  }
  const orderDependent = new Map<string, Set<string>>();
  for (const [set, targets] of itemsOfSet) {
    if (targets.size < 2) continue;
    for (const [partition, counters] of countersOfSet.get(set) ?? []) {
      const names = orderDependent.get(partition) ?? new Set<string>();
      for (const counter of counters) names.add(counter);
      orderDependent.set(partition, names);
    }
  }
  return { folded, orderDependent };
};

/**
 * Every difference between what a side holds (`read` returns a partition's items with their counters, as
 * `store.readPartition` does) and the fold: each item's counters, and for order-dependent counters their
 * sum over the partition. Zero counters count as absent.
 */
export const partitionDifferences = async (
  truth: ReturnType<typeof foldAll>,
  read: (partition: string) => Promise<ReadonlyMap<string, Readonly<Record<string, number>>>>,
  parallel = 16,
): Promise<string[]> => {
  const out: string[] = [];
  const partitions = [...truth.folded.keys()].sort();
  let next = 0;
  const compare = (
    where: string,
    actual: Readonly<Record<string, number>>,
    expected: Record<string, number>,
  ) => {
    for (const name of [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort()) {
      const a = actual[name] ?? 0;
      const e = expected[name] ?? 0;
      if (a !== e) out.push(`${where} ${name}: ${a}; the events say ${e}`);
    }
  };
  const sumOf = (items: Iterable<Readonly<Record<string, number>>>, names: Set<string>) => {
    const sum: Record<string, number> = {};
    for (const counters of items)
      for (const name of names) sum[name] = (sum[name] ?? 0) + (counters[name] ?? 0);
    return sum;
  };
  const without = (counters: Readonly<Record<string, number>>, names: Set<string>) =>
    Object.fromEntries(Object.entries(counters).filter(([name]) => !names.has(name)));
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < partitions.length) {
        const partition = partitions[next++] as string;
        const expected = truth.folded.get(partition) ?? new Map<string, Record<string, number>>();
        const actual = await read(partition);
        const loose = truth.orderDependent.get(partition) ?? new Set<string>();
        for (const item of new Set([...actual.keys(), ...expected.keys()]))
          compare(
            `${partition} ${item}`,
            without(actual.get(item) ?? {}, loose),
            without(expected.get(item) ?? {}, loose),
          );
        if (loose.size > 0)
          compare(`${partition} (summed)`, sumOf(actual.values(), loose), sumOf(expected.values(), loose));
      }
    }),
  );
  return out.sort();
};

/** Throws a MismatchError naming the first differences, so no figure of a wrong run is printed. */
export const assertPartitionsMatch = async (
  label: string,
  truth: ReturnType<typeof foldAll>,
  read: (partition: string) => Promise<ReadonlyMap<string, Readonly<Record<string, number>>>>,
): Promise<void> => {
  const found = await partitionDifferences(truth, read);
  if (found.length === 0) return;
  throw new MismatchError(
    `${label}: the projections do not match the distinct events (${found.length} differences over ` +
      `${truth.folded.size} partitions): ${found.slice(0, 5).join("; ")}${found.length > 5 ? "; …" : ""}`,
  );
};
