/** A figure over repeats: its median and the range it moved in. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export const spreadOf = (values: readonly number[], digits = 2): Spread => {
  if (values.length === 0) throw new Error("no values to summarise");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return {
    median: round(median, digits),
    min: round(sorted[0] ?? 0, digits),
    max: round(sorted.at(-1) ?? 0, digits),
  };
};

/** The p-th percentile (nearest rank) of ascending values. */
export const percentile = (ascending: readonly number[], p: number): number =>
  ascending[Math.min(ascending.length - 1, Math.max(0, Math.ceil((p / 100) * ascending.length) - 1))] ?? 0;
