import type { Projection } from "#domain/projections/contract.ts";
import { createFolder, type Folded } from "#domain/projections/fold.ts";
import type { DomainEvent } from "#events/index.ts";
import { MismatchError } from "./check.ts";

/**
 * What every registered projection adds up to over the distinct events, in memory: the domain's reference
 * fold (`createFolder`, packages/domain/projections/fold.ts), which both sides of the mixed benchmark must
 * reproduce in DynamoDB.
 *
 * Also returns the counters whose +1 may land in either of several items, depending on which event of a
 * member came first (a person supported in two provinces counts once in the nation, in the item of the
 * province seen first): those are compared summed over their partition, since the sides see the events
 * in another order than this fold. A set that stays in one item is compared item by item.
 */
export const foldAll = (
  projections: readonly Projection[],
  events: readonly DomainEvent[],
): { folded: Folded; orderDependent: Map<string, Set<string>> } => {
  const distinct = [...new Map(events.map((e) => [e.eventId, e])).values()];
  const folder = createFolder(projections);
  const itemsOfSet = new Map<string, Set<string>>();
  const countersOfSet = new Map<string, Map<string, Set<string>>>();
  for (const event of distinct) {
    folder.add(event);
    for (const projection of projections) {
      for (const { target, firsts } of projection.contributions(event)) {
        for (const { set, counter } of firsts ?? []) {
          const targets = itemsOfSet.get(set) ?? new Set<string>();
          itemsOfSet.set(set, targets.add(`${target.partition}\n${target.item}`));
          const byPartition = countersOfSet.get(set) ?? new Map<string, Set<string>>();
          countersOfSet.set(set, byPartition);
          byPartition.set(target.partition, (byPartition.get(target.partition) ?? new Set()).add(counter));
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
  return { folded: folder.folded, orderDependent };
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
