import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { suppressSmallCounts } from "#domain/suppression.ts";

const table = (counts: Record<string, number>) =>
  Object.entries(counts).map(([key, count]) => ({ key, count }));

describe("suppressSmallCounts", () => {
  it("given no small cell, then everything is published", () => {
    // Act
    const out = suppressSmallCounts(table({ poor: 12, orphan: 7 }));
    // Assess
    expect(out).toEqual({
      cells: [
        { key: "poor", count: 12 },
        { key: "orphan", count: 7 },
      ],
      total: { count: 19 },
    });
  });

  it("given one small cell, then the next smallest is withheld too, so the total cannot give it away", () => {
    // Act
    const out = suppressSmallCounts(table({ poor: 40, orphan: 2, disability: 9, other: 15 }));
    // Assess
    expect(out.cells).toEqual([
      { key: "poor", count: 40 },
      { key: "orphan", count: null, suppressed: true },
      { key: "disability", count: null, suppressed: true },
      { key: "other", count: 15 },
    ]);
    expect(out.total).toEqual({ count: 66 });
  });

  it("given two small cells that add up to less than the threshold, then a third is withheld", () => {
    // Act
    const out = suppressSmallCounts(table({ a: 1, b: 2, c: 30, d: 8 }));
    // Assess
    expect(out.cells.map((c) => c.count)).toEqual([null, null, 30, null]);
  });

  it("given a total below the threshold, then the total and every cell are withheld", () => {
    // Act
    const out = suppressSmallCounts(table({ a: 1, b: 3 }));
    // Assess
    expect(out.total).toEqual({ count: null, suppressed: true });
    expect(out.cells.every((c) => c.count === null)).toBe(true);
  });

  it("honours another threshold", () => {
    // Assess
    expect(suppressSmallCounts(table({ a: 9, b: 30 }), 10).cells[0]).toEqual({
      key: "a",
      count: null,
      suppressed: true,
    });
  });

  it("never publishes a small count nor lets one be worked out by subtraction (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ key: fc.string({ minLength: 1, maxLength: 4 }), count: fc.nat({ max: 60 }) }),
          {
            selector: (c) => c.key,
            maxLength: 8,
          },
        ),
        fc.integer({ min: 1, max: 12 }),
        (cells, threshold) => {
          // Act
          const out = suppressSmallCounts(cells, threshold);
          // Assess: published cells are true and not small
          const published = out.cells.filter((c) => c.count !== null);
          for (const c of published) {
            expect(c.count).toBeGreaterThanOrEqual(threshold);
            expect(c.count).toBe(cells.find((x) => x.key === c.key)?.count);
          }
          // Assess: what the total leaves over is never one cell, nor a small sum
          const withheld = out.cells.filter((c) => c.count === null);
          if (out.total.count !== null && withheld.length > 0) {
            const rest = out.total.count - published.reduce((s, c) => s + (c.count ?? 0), 0);
            expect(withheld.length).toBeGreaterThanOrEqual(2);
            expect(rest).toBeGreaterThanOrEqual(threshold);
          }
        },
      ),
    );
  });
});
