import type { CampaignView, Totals } from "#domain/projection.ts";
import type { Folded } from "#domain/projections/fold.ts";

/** Projections against the truth: what differs, cell by cell or counter by counter. */

const CELL_FIELDS = ["count", "moneyVnd", "inKindVnd"] as const satisfies readonly (keyof Totals)[];

/** Events short of the truth, events beyond it, and the cells that differ. */
export interface Comparison {
  lost: number;
  doubleCounted: number;
  mismatches: string[];
}

/**
 * Compares a campaign's projection with its truth cell by cell. Each of the three partitions (the
 * campaign total, its days, its units) counts every event once, so each gives a lower bound of the
 * events lost (short) and double-counted (over); the largest bound is kept. Money and goods must match
 * to the đồng in every cell.
 */
export const compareViews = (truth: CampaignView, actual: CampaignView): Comparison => {
  const result: Comparison = { lost: 0, doubleCounted: 0, mismatches: [] };
  const partitions: [string, Map<string, Totals>, Map<string, Totals>][] = [
    ["total", new Map([["", truth.pledged]]), new Map([["", actual.pledged]])],
    ["day", new Map(truth.byDay.map((d) => [d.day, d])), new Map(actual.byDay.map((d) => [d.day, d]))],
    [
      "unit",
      new Map(truth.byUnit.map((u) => [u.unitCode, u])),
      new Map(actual.byUnit.map((u) => [u.unitCode, u])),
    ],
  ];
  for (const [name, expected, seen] of partitions) {
    let short = 0;
    let over = 0;
    for (const key of new Set([...expected.keys(), ...seen.keys()])) {
      const t = expected.get(key) ?? { count: 0, moneyVnd: 0, inKindVnd: 0 };
      const a = seen.get(key) ?? { count: 0, moneyVnd: 0, inKindVnd: 0 };
      short += Math.max(0, t.count - a.count);
      over += Math.max(0, a.count - t.count);
      const differing = CELL_FIELDS.filter((f) => t[f] !== a[f]);
      if (differing.length > 0) {
        const cell = `${truth.campaignId} ${name}${key ? ` ${key}` : ""}`;
        result.mismatches.push(`${cell}: ${differing.map((f) => `${f} ${a[f]} (truth ${t[f]})`).join(", ")}`);
      }
    }
    result.lost = Math.max(result.lost, short);
    result.doubleCounted = Math.max(result.doubleCounted, over);
  }
  return result;
};

/**
 * Every counter of `partitions` where what `read` finds (a partition's items and their counters, as
 * `store.readPartition` gives them) differs from a fold (`truth`), and the first 20 of them.
 * Counters named in `summed` for a partition (distinct counts, whose item depends on the order the events
 * came in) are compared summed over the partition; the rest item by item. Zero counts as absent.
 */
export const partitionMismatches = async (
  read: (partition: string) => Promise<ReadonlyMap<string, Readonly<Record<string, number>>>>,
  truth: Folded,
  partitions: Iterable<string>,
  summed: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): Promise<{ mismatched: number; examples: string[] }> => {
  let mismatched = 0;
  const examples: string[] = [];
  const compare = (where: string, a: Record<string, number>, t: Record<string, number>) => {
    for (const name of new Set([...Object.keys(a), ...Object.keys(t)])) {
      if ((a[name] ?? 0) === (t[name] ?? 0)) continue;
      mismatched++;
      if (examples.length < 20) examples.push(`${where} ${name}: ${a[name] ?? 0}, truth ${t[name] ?? 0}`);
    }
  };
  const split = (counters: Readonly<Record<string, number>>, loose: ReadonlySet<string>) => {
    const exact: Record<string, number> = {};
    const rest: Record<string, number> = {};
    for (const [name, value] of Object.entries(counters)) (loose.has(name) ? rest : exact)[name] = value;
    return { exact, rest };
  };
  for (const partition of new Set(partitions)) {
    const actual = await read(partition);
    const expected = truth.get(partition) ?? new Map<string, Record<string, number>>();
    const loose = summed.get(partition) ?? new Set<string>();
    const sums = { actual: {} as Record<string, number>, expected: {} as Record<string, number> };
    for (const item of new Set([...actual.keys(), ...expected.keys()])) {
      const a = split(actual.get(item) ?? {}, loose);
      const t = split(expected.get(item) ?? {}, loose);
      compare(`${partition} ${item}`, a.exact, t.exact);
      for (const [name, value] of Object.entries(a.rest))
        sums.actual[name] = (sums.actual[name] ?? 0) + value;
      for (const [name, value] of Object.entries(t.rest))
        sums.expected[name] = (sums.expected[name] ?? 0) + value;
    }
    compare(`${partition} (summed)`, sums.actual, sums.expected);
  }
  return { mismatched, examples };
};
