import ExcelJS from "exceljs";
import type { Cell, ColumnFormat, Report, Sheet } from "#domain/reports/report.ts";

/**
 * Renders a report for the people who read it: XLSX for staff who work in Excel (Vietnamese headers, VND
 * number formats, one sheet per view, the header row frozen), CSV in UTF-8 with a byte-order mark (without
 * it Excel reads Vietnamese as Windows-1252 mojibake), and JSON for programs. exceljs writes real XLSX
 * (number formats, frozen panes) where a hand-written CSV cannot.
 */

/** Excel number formats: VND as whole đồng with grouping, percentages with one decimal. */
const NUMBER_FORMAT: Readonly<Record<ColumnFormat, string | undefined>> = {
  text: undefined,
  count: "#,##0",
  vnd: '#,##0 "₫"',
  percent: "0.0",
};

/** Rows above a sheet's header: the title and the headline, so a printed sheet says what it is. */
const TITLE_ROWS = 2;

/** The report as an XLSX workbook. */
export const toXlsx = async (report: Report): Promise<Buffer> => {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Hội Khuyến học";
  workbook.title = report.title.vi;
  for (const sheet of report.sheets) {
    const worksheet = workbook.addWorksheet(sheet.name.vi.slice(0, 31), {
      views: [{ state: "frozen", ySplit: TITLE_ROWS + 1 }],
    });
    worksheet.addRow([report.title.vi]).font = { bold: true, size: 13 };
    worksheet.addRow([report.headline.vi]);
    const header = worksheet.addRow(sheet.columns.map((c) => c.header.vi));
    header.font = { bold: true };
    header.alignment = { wrapText: true, vertical: "middle" };
    for (const row of sheet.rows) worksheet.addRow(sheet.columns.map((c) => row[c.key] ?? null));
    sheet.columns.forEach((c, i) => {
      const col = worksheet.getColumn(i + 1);
      col.width = c.format === "text" ? 40 : 18;
      const numFmt = NUMBER_FORMAT[c.format];
      if (numFmt !== undefined) col.numFmt = numFmt;
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
};

const csvCell = (value: Cell): string => {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * One sheet as CSV: UTF-8 with a BOM, CRLF line ends (RFC 4180, and what Excel writes), Vietnamese
 * headers, numbers without grouping so every spreadsheet reads them as numbers.
 */
export const toCsv = (sheet: Sheet): string => {
  const lines = [
    sheet.columns.map((c) => csvCell(c.header.vi)).join(","),
    ...sheet.rows.map((row) => sheet.columns.map((c) => csvCell(row[c.key] ?? null)).join(",")),
  ];
  return `\uFEFF${lines.join("\r\n")}\r\n`;
};

/** The report as JSON: both languages, every figure as a number. */
export const toJson = (report: Report): string => `${JSON.stringify(report, null, 2)}\n`;

/** A file name part from a sheet's English name: `By unit` → `by-unit`. */
export const sheetSlug = (sheet: Sheet): string =>
  sheet.name.en
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** Every file of a report under one base name: `<base>.xlsx`, `<base>.json`, `<base>.<sheet>.csv`. */
export const renderAll = async (
  report: Report,
  base: string,
): Promise<readonly { readonly name: string; readonly body: Buffer; readonly contentType: string }[]> => [
  {
    name: `${base}.xlsx`,
    body: await toXlsx(report),
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  },
  { name: `${base}.json`, body: Buffer.from(toJson(report)), contentType: "application/json" },
  ...report.sheets.map((sheet) => ({
    name: `${base}.${sheetSlug(sheet)}.csv`,
    body: Buffer.from(toCsv(sheet)),
    contentType: "text/csv; charset=utf-8",
  })),
];
