/** Public counts of beneficiaries below this are withheld (configurable per call). */
export const DEFAULT_SUPPRESSION_THRESHOLD = 5;

/** A count as the public reads it: the number, or `null` with `suppressed: true`. */
export type PublicCount = { readonly count: number } | { readonly count: null; readonly suppressed: true };

export interface PublicTable<K extends string> {
  readonly cells: readonly ({ readonly key: K } & PublicCount)[];
  readonly total: PublicCount;
}

const hidden = { count: null, suppressed: true } as const;

/**
 * Withholds small counts of people from a published table (cells and their total), so that nobody can be
 * singled out:
 * - primary: every cell below `threshold` is withheld; if the total itself is below it, everything is;
 * - secondary: while a total is published, the withheld cells must number at least two and add up to at
 *   least `threshold`, or the total minus the published cells would give a small cell away; the smallest
 *   published cells are withheld too until that holds.
 * Pure; cells keep their order.
 */
export const suppressSmallCounts = <K extends string>(
  cells: readonly { readonly key: K; readonly count: number }[],
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
): PublicTable<K> => {
  const total = cells.reduce((sum, c) => sum + c.count, 0);
  if (total < threshold) return { cells: cells.map((c) => ({ key: c.key, ...hidden })), total: hidden };
  const withheld = new Set(cells.filter((c) => c.count < threshold).map((c) => c.key));
  if (withheld.size > 0) {
    const bySize = cells.filter((c) => !withheld.has(c.key)).sort((a, b) => a.count - b.count);
    const withheldSum = () => cells.filter((c) => withheld.has(c.key)).reduce((sum, c) => sum + c.count, 0);
    for (const next of bySize) {
      if (withheld.size >= 2 && withheldSum() >= threshold) break;
      withheld.add(next.key);
    }
  }
  return {
    cells: cells.map((c) =>
      withheld.has(c.key) ? { key: c.key, ...hidden } : { key: c.key, count: c.count },
    ),
    total: { count: total },
  };
};
