import { countersOf, supportFigures } from "../unit-figures.ts";
import { column, countVi, type Report, vndWords } from "./report.ts";
import type { ReadResults, UnitReportPlan } from "./yearly.ts";

const empty: ReadonlyMap<string, Readonly<Record<string, number>>> = new Map();

const MONTH = /^(0[1-9]|1[0-2])$/;

/**
 * The monthly report of a unit: the month's support (lượt, money, in kind) for the unit and for each unit
 * below it, from the month counters of the same partitions the yearly report reads (`mo#<MM>#n|m|k`).
 * Distinct people are counted per year, not per month, so this report has no people column.
 */
export const monthlyReport = (plan: UnitReportPlan, month: string, read: ReadResults): Report => {
  if (!MONTH.test(month)) throw new RangeError(`month must be 01-12, not ${month}`);
  const { unit, year } = plan;
  const monthOf = (figures: ReturnType<typeof supportFigures>) =>
    figures.byMonth[month] ?? { luot: 0, moneyVnd: 0, inKindVnd: 0 };
  const own = monthOf(
    supportFigures(unit, year, countersOf(plan.support, read.get(plan.support.partition) ?? empty)),
  );
  const name = unit.level === "nation" ? "Việt Nam" : unit.name;
  const total = own.moneyVnd + own.inKindVnd;
  return {
    kind: "monthly",
    title: { vi: `Báo cáo tháng ${month}/${year}: ${name}`, en: `Monthly report ${year}-${month}: ${name}` },
    headline: {
      vi: `Tháng ${month}/${year}, ${name}: ${countVi(own.luot)} lượt hỗ trợ, ${vndWords(total)} tiền và hiện vật.`,
      en: `${year}-${month}, ${name}: ${own.luot.toLocaleString("en-US")} lượt of support, ${total.toLocaleString("en-US")} VND in money and goods.`,
    },
    subject: { unit: unit.code, unitName: name, year, month, asOf: plan.asOf },
    sheets: [
      {
        name: { vi: "Theo đơn vị", en: "By unit" },
        columns: [
          column("code", "Mã đơn vị", "Unit code", "text"),
          column("name", "Tên đơn vị", "Unit", "text"),
          column("luot", "Số lượt", "Instances (lượt)", "count"),
          column("moneyVnd", "Tiền (đồng)", "Money (VND)", "vnd"),
          column("inKindVnd", "Hiện vật quy tiền (đồng)", "In kind (VND)", "vnd"),
          column("totalVnd", "Tổng giá trị (đồng)", "Total (VND)", "vnd"),
        ],
        rows: [plan.support, ...plan.children].map((p) => {
          const m = monthOf(supportFigures(p.unit, year, countersOf(p, read.get(p.partition) ?? empty)));
          return {
            code: p.unit.code,
            name: p.unit.level === "nation" ? "Việt Nam" : p.unit.name,
            luot: m.luot,
            moneyVnd: m.moneyVnd,
            inKindVnd: m.inKindVnd,
            totalVnd: m.moneyVnd + m.inKindVnd,
          };
        }),
      },
    ],
  };
};
