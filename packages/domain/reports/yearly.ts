import { assessmentFigures, countersOf, type ReadPlan, readPlan, supportFigures } from "../unit-figures.ts";
import { type AsOf, type Unit, unitsOn } from "../units.ts";
import { column, countVi, percentOf, type Report, type Sheet, vndWords } from "./report.ts";

/** Counters per item of one partition, as `store.readPartition` returns them. */
export type Items = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** What a unit report reads: the unit's own partitions and one support partition per unit below it. */
export interface UnitReportPlan {
  readonly unit: Unit;
  readonly year: number;
  readonly asOf: AsOf;
  readonly support: ReadPlan;
  readonly assessments: ReadPlan;
  readonly children: readonly ReadPlan[];
}

/**
 * The partitions a unit's report for `year` reads: its support and assessments, and the support of each
 * unit directly below it on the plan's day (the provinces of the nation; a province's districts before
 * the 2025 reform and its communes after; a district's communes). One Query each, so the cost follows the
 * number of units, never the number of events. Undefined when the code named no unit then.
 */
export const planUnitReport = (
  code: string,
  year: number,
  asOf: AsOf,
  today: string,
): UnitReportPlan | undefined => {
  const support = readPlan("sup", code, asOf, today, year);
  const assessments = readPlan("asm", code, asOf, today, year);
  if (support === undefined || assessments === undefined) return undefined;
  const { unit } = support;
  const below = unitsOn(support.day).filter((u) =>
    unit.level === "nation" ? u.level === "province" : u.parent === unit.code && u.level !== unit.level,
  );
  const children = below
    .map((child) => readPlan("sup", child.code, asOf, support.day, year))
    .filter((p): p is ReadPlan => p !== undefined && p.unit.key !== unit.key);
  return { unit, year, asOf, support, assessments, children };
};

/** What the plan's partitions held, by partition name. */
export type ReadResults = ReadonlyMap<string, Items>;

const empty: Items = new Map();

/** A support reason as the report names it in Vietnamese. */
export const REASON_VI: Readonly<Record<string, string>> = {
  hardship: "Hoàn cảnh khó khăn",
  "high-achievement": "Thành tích cao",
  "overcoming-hardship": "Vượt khó học tốt",
  scholarship: "Học bổng",
  "study-equipment": "Đồ dùng học tập",
  other: "Khác",
};

const KIND_VI: Readonly<Record<string, string>> = { student: "Học sinh, sinh viên", teacher: "Giáo viên" };

const SUBJECT_VI: Readonly<Record<string, string>> = {
  "learning-family": "Gia đình học tập",
  "learning-clan": "Dòng họ học tập",
  "learning-community": "Cộng đồng học tập",
  "learning-unit": "Đơn vị học tập",
  "commune-learning-community": "Cộng đồng học tập cấp xã",
};

const amountColumns = [
  column("luot", "Số lượt", "Instances (lượt)", "count"),
  column("moneyVnd", "Tiền (đồng)", "Money (VND)", "vnd"),
  column("inKindVnd", "Hiện vật quy tiền (đồng)", "In kind (VND)", "vnd"),
  column("totalVnd", "Tổng giá trị (đồng)", "Total (VND)", "vnd"),
];

const unitName = (unit: Unit): string => (unit.level === "nation" ? "Việt Nam" : unit.name);

/**
 * The yearly report of a unit (the seed's headline: "in YEAR the association at all levels supported N
 * teachers and students, X lượt, Y VND in money and goods"), with support by unit below it, by reason and
 * by beneficiary kind, and assessments against their scheme targets. Pure: every figure comes from the
 * partitions the plan names, as read.
 */
export const yearlyReport = (plan: UnitReportPlan, read: ReadResults): Report => {
  const { unit, year } = plan;
  const support = supportFigures(
    unit,
    year,
    countersOf(plan.support, read.get(plan.support.partition) ?? empty),
  );
  const assessments = assessmentFigures(
    unit,
    year,
    countersOf(plan.assessments, read.get(plan.assessments.partition) ?? empty),
  );
  const total = support.moneyVnd + support.inKindVnd;
  const name = unitName(unit);
  const byUnit: Sheet = {
    name: { vi: "Theo đơn vị", en: "By unit" },
    columns: [
      column("code", "Mã đơn vị", "Unit code", "text"),
      column("name", "Tên đơn vị", "Unit", "text"),
      column("people", "Số người được hỗ trợ", "People supported", "count"),
      ...amountColumns,
      column("targetLuot", "Chỉ tiêu (lượt)", "Target (lượt)", "count"),
      column("targetPercent", "Đạt chỉ tiêu (%)", "Of target (%)", "percent"),
    ],
    rows: plan.children.map((child) => {
      const f = supportFigures(child.unit, year, countersOf(child, read.get(child.partition) ?? empty));
      return {
        code: child.unit.code,
        name: child.unit.name,
        people: f.people,
        luot: f.luot,
        moneyVnd: f.moneyVnd,
        inKindVnd: f.inKindVnd,
        totalVnd: f.moneyVnd + f.inKindVnd,
        targetLuot: f.target?.minLuot ?? null,
        targetPercent: f.target === undefined ? null : percentOf(f.luot, f.target.minLuot),
      };
    }),
  };
  const overview: Sheet = {
    name: { vi: "Tổng hợp", en: "Summary" },
    columns: [column("measure", "Chỉ tiêu", "Measure", "text"), column("value", "Giá trị", "Value", "count")],
    rows: [
      { measure: "Số người được hỗ trợ (giáo viên và học sinh)", value: support.people },
      { measure: "Số lượt hỗ trợ", value: support.luot },
      { measure: "Tiền (đồng)", value: support.moneyVnd },
      { measure: "Hiện vật quy tiền (đồng)", value: support.inKindVnd },
      { measure: "Tổng giá trị (đồng)", value: total },
      ...(support.target === undefined
        ? []
        : [
            { measure: "Chỉ tiêu (lượt)", value: support.target.minLuot },
            { measure: "Đạt chỉ tiêu (%)", value: support.target.percent },
          ]),
    ],
  };
  const byReason: Sheet = {
    name: { vi: "Theo lý do", en: "By reason" },
    columns: [column("reason", "Lý do hỗ trợ", "Reason", "text"), ...amountColumns],
    rows: Object.entries(support.byReason).map(([reason, a]) => ({
      reason: REASON_VI[reason] ?? reason,
      luot: a.luot,
      moneyVnd: a.moneyVnd,
      inKindVnd: a.inKindVnd,
      totalVnd: a.moneyVnd + a.inKindVnd,
    })),
  };
  const byKind: Sheet = {
    name: { vi: "Theo đối tượng", en: "By beneficiary kind" },
    columns: [
      column("kind", "Đối tượng", "Beneficiary kind", "text"),
      column("luot", "Số lượt", "Instances (lượt)", "count"),
    ],
    rows: Object.entries(support.byBeneficiaryKind).map(([kind, luot]) => ({
      kind: KIND_VI[kind] ?? kind,
      luot,
    })),
  };
  const assessed: Sheet = {
    name: { vi: "Đánh giá, công nhận", en: "Assessments" },
    columns: [
      column("kind", "Danh hiệu", "Title", "text"),
      column("registered", "Đăng ký", "Registered", "count"),
      column("assessed", "Đã đánh giá", "Assessed", "count"),
      column("recognised", "Được công nhận", "Recognised", "count"),
      column("ratePercent", "Tỷ lệ công nhận (%)", "Recognised (%)", "percent"),
      column("targetPercent", "Mục tiêu (%)", "Target (%)", "percent"),
    ],
    rows: assessments.byKind.map((k) => ({
      kind: SUBJECT_VI[k.kind] ?? k.kind,
      registered: k.registered,
      assessed: k.assessed,
      recognised: k.recognised,
      ratePercent: k.ratePercent,
      targetPercent: k.targetPercent ?? null,
    })),
  };
  // "các cấp tỉnh Yên Bái": the unit's name with its level word in lower case, as Vietnamese prose writes it.
  const where = unit.level === "nation" ? "toàn quốc" : `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
  return {
    kind: "yearly",
    title: {
      vi: `Báo cáo năm ${year}: ${name}`,
      en: `Yearly report ${year}: ${unit.level === "nation" ? "Vietnam" : name}`,
    },
    headline: {
      vi:
        `Năm ${year}, Hội Khuyến học các cấp ${where} đã hỗ trợ ${countVi(support.people)} giáo viên và ` +
        `học sinh, ${countVi(support.luot)} lượt, ${vndWords(total)} tiền và hiện vật.`,
      en:
        `In ${year} the association at all levels in ${unit.level === "nation" ? "Vietnam" : name} supported ` +
        `${support.people.toLocaleString("en-US")} teachers and students, ` +
        `${support.luot.toLocaleString("en-US")} lượt, ${total.toLocaleString("en-US")} VND in money and goods.`,
    },
    subject: { unit: unit.code, unitName: name, year, asOf: plan.asOf },
    sheets: [overview, byUnit, byReason, byKind, assessed],
  };
};

/** Every partition a plan reads, once each. */
export const partitionsOf = (plan: UnitReportPlan): readonly string[] => [
  ...new Set([plan.support.partition, plan.assessments.partition, ...plan.children.map((c) => c.partition)]),
];
