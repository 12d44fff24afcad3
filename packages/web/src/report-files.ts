/** One file of `GET /v1/reports` (functions/reports/list.ts). */
export interface ReportFile {
  readonly name: string;
  readonly size: number;
  readonly lastModified: string;
  readonly url: string;
}

export type ReportFormat = "xlsx" | "csv" | "json";

/** One report and its files, as staff choose it: XLSX for Excel first, then a CSV per view, then JSON. */
export interface ReportEntry {
  /** The file name without its extension (`yearly-15-2018`), the same for its three formats. */
  readonly base: string;
  readonly kind: "yearly" | "monthly" | "campaign-daily" | "disclosure" | "other";
  /** `2018`, `2026-09` or `2026-09-05`: the period the report covers. */
  readonly period: string;
  /** Read in today's units (a report of a year before the 2025 reform, in today's provinces). */
  readonly current: boolean;
  readonly files: readonly {
    readonly format: ReportFormat;
    /** A CSV holds one view of the report (`summary`, `by-unit`…); XLSX has them all as sheets. */
    readonly view?: string;
    readonly url: string;
    readonly size: number;
  }[];
  readonly lastModified: string;
}

const FORMAT_ORDER: readonly ReportFormat[] = ["xlsx", "csv", "json"];

/** What a base name says (packages/reports/generate.ts `baseNameOf`). */
const describe = (base: string): Pick<ReportEntry, "kind" | "period" | "current"> => {
  const current = base.endsWith("-current");
  const name = current ? base.slice(0, -"-current".length) : base;
  const yearly = /^yearly-[^-]+-(\d{4})$/.exec(name);
  if (yearly?.[1]) return { kind: "yearly", period: yearly[1], current };
  const monthly = /^monthly-[^-]+-(\d{4})-(\d{2})$/.exec(name);
  if (monthly?.[1] && monthly[2]) return { kind: "monthly", period: `${monthly[1]}-${monthly[2]}`, current };
  const daily = /^campaign-daily-.+-(\d{4}-\d{2}-\d{2})$/.exec(name);
  if (daily?.[1]) return { kind: "campaign-daily", period: daily[1], current };
  const disclosure = /^disclosure-[^-]+-(\d{4})$/.exec(name);
  if (disclosure?.[1]) return { kind: "disclosure", period: disclosure[1], current };
  return { kind: "other", period: "", current };
};

/**
 * The reports among the listed files, one entry per report with its formats (XLSX, CSV, JSON), newest
 * first. Files of another format or name are left out: the list shows what staff can open.
 */
export const reportEntries = (files: readonly ReportFile[]): ReportEntry[] => {
  const byBase = new Map<string, { files: ReportEntry["files"][number][]; lastModified: string }>();
  for (const file of files) {
    // `yearly-15-2018.xlsx`, `yearly-15-2018.json`, `yearly-15-2018.by-unit.csv` (packages/reports/render.ts)
    const match = /^([^.]+)(?:\.([a-z0-9-]+))?\.(xlsx|csv|json)$/.exec(file.name);
    if (!match?.[1] || !match[3]) continue;
    const entry = byBase.get(match[1]) ?? { files: [], lastModified: file.lastModified };
    entry.files.push({
      format: match[3] as ReportFormat,
      ...(match[2] === undefined ? {} : { view: match[2] }),
      url: file.url,
      size: file.size,
    });
    if (file.lastModified > entry.lastModified) entry.lastModified = file.lastModified;
    byBase.set(match[1], entry);
  }
  return [...byBase]
    .map(([base, { files: found, lastModified }]) => ({
      base,
      ...describe(base),
      files: [...found].sort(
        (a, b) =>
          FORMAT_ORDER.indexOf(a.format) - FORMAT_ORDER.indexOf(b.format) ||
          (a.view ?? "").localeCompare(b.view ?? ""),
      ),
      lastModified,
    }))
    .sort((a, b) => b.lastModified.localeCompare(a.lastModified) || a.base.localeCompare(b.base));
};
