/**
 * A report as every format renders it: a title, a headline sentence, and sheets of typed columns. The
 * builders (yearly.ts, monthly.ts, …) turn projection figures into this shape; the renderers
 * (packages/reports/render.ts) turn it into XLSX, CSV and JSON, so one figure reads the same everywhere.
 * Headers are Vietnamese (the association's staff work in Vietnamese and Excel); JSON keeps both languages.
 */

/** How a column's values are written: VND amounts and counts are integers, a percentage has one decimal. */
export type ColumnFormat = "text" | "count" | "vnd" | "percent";

export interface Column {
  /** The key of the value in each row. */
  readonly key: string;
  readonly header: { readonly vi: string; readonly en: string };
  readonly format: ColumnFormat;
}

export type Cell = string | number | null;

export interface Sheet {
  /** At most 31 characters: Excel's limit for a sheet name. */
  readonly name: { readonly vi: string; readonly en: string };
  readonly columns: readonly Column[];
  readonly rows: readonly Readonly<Record<string, Cell>>[];
}

export type ReportKind = "yearly" | "monthly" | "campaign-daily" | "disclosure";

export interface Report {
  readonly kind: ReportKind;
  readonly title: { readonly vi: string; readonly en: string };
  /** The one sentence a reader quotes. */
  readonly headline: { readonly vi: string; readonly en: string };
  /** What the report is about, as parameters: `{ unit: "15", year: 2018 }`. */
  readonly subject: Readonly<Record<string, string | number>>;
  readonly sheets: readonly Sheet[];
}

/** A column, briefly. */
export const column = (key: string, vi: string, en: string, format: ColumnFormat): Column => ({
  key,
  header: { vi, en },
  format,
});

/** VND as Vietnamese readers write it: `1.500.000 đồng`. Integer VND only. */
export const vndWords = (vnd: number): string => `${vnd.toLocaleString("vi-VN")} đồng`;

/** A count with Vietnamese digit grouping: `12.345`. */
export const countVi = (n: number): string => n.toLocaleString("vi-VN");

/** A percentage with one decimal, rounded down (never overstate progress); null with nothing to divide by. */
export const percentOf = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.floor((part * 1000) / whole) / 10;
