import ExcelJS from "exceljs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fold } from "#domain/projections/fold.ts";
import { projections } from "#domain/projections/index.ts";
import type { Report } from "#domain/reports/report.ts";
import { partitionsOf, planUnitReport, REASON_VI, yearlyReport } from "#domain/reports/yearly.ts";
import { isWithin, unitsOn } from "#domain/units.ts";
import type { DomainEvent } from "#events/index.ts";
import type { GrantFacts } from "#events/support.ts";
import { toCsv, toXlsx } from "#reports/render.ts";
import { granted, grantFacts, revoked } from "../helpers/family-events.ts";

const YEAR = 2018;
const DAY = `${YEAR}-06-15`;
/** Yên Bái's communes in 2018: the province of the seed article. */
const communes = unitsOn(DAY, "commune").filter((u) => isWithin("15", u.code, DAY));
const reasons = ["hardship", "high-achievement", "scholarship", "study-equipment"] as const;

/** A year of grants in Yên Bái: some people supported twice, some grants revoked. */
const aYear = fc
  .array(
    fc.record({
      commune: fc.integer({ min: 0, max: communes.length - 1 }),
      person: fc.integer({ min: 0, max: 40 }),
      kind: fc.constantFrom("student" as const, "teacher" as const),
      reason: fc.constantFrom(...reasons),
      moneyVnd: fc.integer({ min: 0, max: 5_000_000 }),
      inKindVnd: fc.integer({ min: 0, max: 2_000_000 }),
      month: fc.integer({ min: 1, max: 12 }),
      revoke: fc.boolean(),
    }),
    { minLength: 1, maxLength: 60 },
  )
  .map((rows) => {
    const facts: { facts: GrantFacts; revoked: boolean }[] = rows.map((r) => ({
      facts: grantFacts({
        recipient: {
          type: "beneficiary",
          beneficiaryId: `00000000-0000-4000-8000-${String(r.person).padStart(12, "0")}`,
          beneficiaryKind: r.kind,
        },
        reason: r.reason,
        moneyVnd: r.moneyVnd,
        inKindVnd: r.moneyVnd + r.inKindVnd === 0 ? 1 : r.inKindVnd,
        occurredAt: `${YEAR}-${String(r.month).padStart(2, "0")}-10T09:00:00+07:00`,
        unitCode: communes[r.commune]?.code ?? "",
      }),
      revoked: r.revoke && r.person % 3 === 0,
    }));
    const events: DomainEvent[] = facts.flatMap(({ facts: f, revoked: r }) =>
      r ? [granted(f), revoked(f)] : [granted(f)],
    );
    return { facts, events };
  });

/** The report's partitions as the engine would hold them: the registry's fold of the events. */
const reportOf = (events: readonly DomainEvent[]): Report => {
  const plan = planUnitReport("15", YEAR, "historic", "2026-11-28");
  if (plan === undefined) throw new Error("Yên Bái 2018 has a plan");
  const folded = fold(projections, events);
  const read = new Map(partitionsOf(plan).map((p) => [p, folded.get(p) ?? new Map()]));
  return yearlyReport(plan, read);
};

const sheet = (report: Report, en: string) => {
  const found = report.sheets.find((s) => s.name.en === en);
  if (found === undefined) throw new Error(`no sheet ${en}`);
  return found;
};

describe("yearly report", () => {
  it("states every figure as the events that made it say, by district, reason and kind", () => {
    fc.assert(
      fc.property(aYear, ({ facts, events }) => {
        // Given a year of grants and revocations in Yên Bái; when the yearly report reads the fold
        const report = reportOf(events);
        // Then each district's row counts exactly its communes' standing grants, people once
        const standing = facts.filter((f) => !f.revoked).map((f) => f.facts);
        for (const row of sheet(report, "By unit").rows) {
          const code = String(row.code);
          const mine = standing.filter((f) => isWithin(code, f.unitCode, DAY));
          const everyone = facts.filter((f) => isWithin(code, f.facts.unitCode, DAY));
          expect(row.luot).toBe(mine.length);
          expect(row.moneyVnd).toBe(mine.reduce((s, f) => s + f.moneyVnd, 0));
          expect(row.inKindVnd).toBe(mine.reduce((s, f) => s + f.inKindVnd, 0));
          expect(row.totalVnd).toBe(mine.reduce((s, f) => s + f.moneyVnd + f.inKindVnd, 0));
          // A revoked grant does not take its person back (docs/assessments.md#support).
          expect(row.people).toBe(
            new Set(
              everyone.map((f) =>
                f.facts.recipient.type === "beneficiary" ? f.facts.recipient.beneficiaryId : "",
              ),
            ).size,
          );
        }
        // And the reasons sheet sums each reason's standing grants
        for (const reason of reasons) {
          const mine = standing.filter((f) => f.reason === reason);
          const row = sheet(report, "By reason").rows.find((r) => r.reason === REASON_VI[reason]);
          expect(row?.luot ?? 0).toBe(mine.length);
          expect(row?.moneyVnd ?? 0).toBe(mine.reduce((s, f) => s + f.moneyVnd, 0));
        }
        const luotTotal = sheet(report, "By reason").rows.reduce((s, r) => s + Number(r.luot), 0);
        expect(luotTotal).toBe(standing.length);
        // And the headline adds up the province
        const money = standing.reduce((s, f) => s + f.moneyVnd + f.inKindVnd, 0);
        expect(report.headline.en).toContain(`${standing.length.toLocaleString("en-US")} lượt`);
        expect(report.headline.en).toContain(`${money.toLocaleString("en-US")} VND`);
        const districtsLuot = sheet(report, "By unit").rows.reduce((s, r) => s + Number(r.luot), 0);
        expect(districtsLuot).toBe(standing.length);
      }),
      { numRuns: 40 },
    );
  });

  it("lists Yên Bái's nine districts of 2018 by name, and the province's target", () => {
    // Given no events; when the 2019 report is read (the year the seed's target is set for)
    const plan = planUnitReport("15", 2019, "historic", "2026-11-28");
    // Then it reads the province and its districts, and shows the 10,000-lượt target
    expect(plan?.children.map((c) => c.unit.level)).toEqual(Array(9).fill("district"));
    const report = yearlyReport(plan as NonNullable<typeof plan>, new Map());
    expect(sheet(report, "Summary").rows).toContainEqual({ measure: "Chỉ tiêu (lượt)", value: 10_000 });
    expect(report.headline.vi).toBe(
      "Năm 2019, Hội Khuyến học các cấp tỉnh Yên Bái đã hỗ trợ 0 giáo viên và học sinh, 0 lượt, 0 đồng tiền và hiện vật.",
    );
  });
});

describe("report files", () => {
  it("writes CSV in UTF-8 with a byte-order mark and Vietnamese headers", () => {
    // Given a report; when one sheet is written as CSV
    const csv = toCsv(
      sheet(reportOf([granted(grantFacts({ unitCode: communes[0]?.code ?? "" }))]), "By unit"),
    );
    // Then Excel reads it as UTF-8, and a name with a comma stays one cell
    expect(csv.startsWith("\uFEFFMã đơn vị,Tên đơn vị,")).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    expect(
      toCsv({
        name: { vi: "x", en: "x" },
        columns: [{ key: "a", header: { vi: "Tên", en: "Name" }, format: "text" }],
        rows: [{ a: 'Lê "Văn", A' }],
      }),
    ).toBe('\uFEFFTên\r\n"Lê ""Văn"", A"\r\n');
  });

  it("writes XLSX with one sheet per view, the header frozen and VND formatted", async () => {
    // Given a report with one grant; when written as XLSX and read back
    const report = reportOf([
      granted(grantFacts({ unitCode: communes[0]?.code ?? "", moneyVnd: 1_500_000 })),
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(report)) as unknown as ArrayBuffer);
    // Then each view is a sheet with Vietnamese headers under a frozen pane, amounts as numbers in đồng
    expect(workbook.worksheets.map((w) => w.name)).toEqual(report.sheets.map((s) => s.name.vi));
    const byUnit = workbook.getWorksheet("Theo đơn vị");
    expect(byUnit?.views[0]).toMatchObject({ state: "frozen", ySplit: 3 });
    expect(byUnit?.getRow(3).getCell(1).value).toBe("Mã đơn vị");
    const moneyColumn = sheet(report, "By unit").columns.findIndex((c) => c.key === "moneyVnd") + 1;
    const cells = [4, 5, 6, 7, 8, 9, 10, 11, 12].map((r) => byUnit?.getRow(r).getCell(moneyColumn).value);
    expect(cells).toContain(1_500_000);
    expect(byUnit?.getColumn(moneyColumn).numFmt).toBe('#,##0 "₫"');
  });
});
