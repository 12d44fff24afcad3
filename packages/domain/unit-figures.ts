import type { SubjectKind } from "#events/assessment.ts";
import supportTargetData from "../../data/targets/support-targets.json" with { type: "json" };
import { schemes, targetFor } from "./assessment-schemes.ts";
import { KIND_PREFIX } from "./projections/assessment.ts";
import { nationTag } from "./projections/unit-targets.ts";
import { DEFAULT_SUPPRESSION_THRESHOLD, type PublicCount, suppressSmallCounts } from "./suppression.ts";
import { type AsOf, NATION, type Unit, unitOn } from "./units.ts";

/** The partition a unit query reads, and whether its items are summed (the nation: one item per province). */
export interface ReadPlan {
  readonly unit: Unit;
  readonly partition: string;
  readonly sumItems: boolean;
  /** The day the code was read on: the day a scope check reads the unit on too. */
  readonly day: string;
}

/**
 * Which partition answers `GET /v1/units/{code}/<family>` (family `sup`, `asm` or `spo`): one Query whatever
 * the number of events. `historic` reads the unit the code named in `year` (on its last day that year, else
 * its first), `current` the unit it names today. Support and assessments have a partition per year;
 * sponsorships one for all years, where `year` only picks which unit a reused code names. Undefined for a
 * code that named no unit then.
 */
export const readPlan = (
  family: "sup" | "asm" | "spo",
  code: string,
  asOf: AsOf,
  today: string,
  year?: number,
): ReadPlan | undefined => {
  const suffix = family === "spo" || year === undefined ? "" : `#${year}`;
  if (code === NATION.code)
    return {
      unit: NATION,
      partition: `${family}#VN${nationTag(asOf === "historic" ? "h" : "c", suffix)}${suffix}`,
      sumItems: true,
      day: today,
    };
  const days = asOf === "current" || year === undefined ? [today] : [`${year}-12-31`, `${year}-01-01`];
  for (const day of days) {
    const unit = unitOn(code, day);
    if (unit !== undefined)
      return { unit, partition: `${family}#${unit.key}${suffix}`, sumItems: false, day };
  }
  return undefined;
};

/** The counters a plan stands for, from what `store.readPartition` returned for its partition. */
export const countersOf = (
  plan: ReadPlan,
  items: ReadonlyMap<string, Readonly<Record<string, number>>>,
): Record<string, number> => {
  const total: Record<string, number> = {};
  for (const [item, counters] of items) {
    if (!plan.sumItems && item !== "t") continue;
    for (const [name, value] of Object.entries(counters)) total[name] = (total[name] ?? 0) + value;
  }
  return total;
};

/** Counters named `<prefix><key><suffix>` as a record keyed by `key`. */
const byKey = (counters: Readonly<Record<string, number>>, prefix: string, suffix: string) => {
  const out: Record<string, number> = {};
  for (const [name, value] of Object.entries(counters))
    if (name.startsWith(prefix) && name.endsWith(suffix) && value !== 0)
      out[name.slice(prefix.length, name.length - suffix.length)] = value;
  return out;
};

/** lượt, money and in-kind per key, from counters named `<prefix><key>#n|m|k`. */
const amountsByKey = (counters: Readonly<Record<string, number>>, prefix: string) => {
  const luot = byKey(counters, prefix, "#n");
  const money = byKey(counters, prefix, "#m");
  const inKind = byKey(counters, prefix, "#k");
  const keys = [...new Set([...Object.keys(luot), ...Object.keys(money), ...Object.keys(inKind)])].sort();
  return Object.fromEntries(
    keys.map((key) => [
      key,
      { luot: luot[key] ?? 0, moneyVnd: money[key] ?? 0, inKindVnd: inKind[key] ?? 0 },
    ]),
  );
};

const supportTargets: readonly {
  readonly unitKey: string;
  readonly year: number;
  readonly minLuot: number;
}[] = supportTargetData.targets;

/**
 * A unit's support in a year, as staff read it: lượt and people apart, amounts in VND; lượt and amounts by
 * reason and by month (`01`–`12`), lượt by beneficiary kind; progress towards a target where data/targets/
 * states one for the unit and year.
 */
export const supportFigures = (unit: Unit, year: number, c: Readonly<Record<string, number>>) => {
  const target = supportTargets.find((t) => t.unitKey === unit.key && t.year === year);
  const luot = c.n ?? 0;
  return {
    unit: { code: unit.code, name: unit.name, level: unit.level },
    year,
    luot,
    people: c.p ?? 0,
    moneyVnd: c.m ?? 0,
    inKindVnd: c.k ?? 0,
    byReason: amountsByKey(c, "r#"),
    byBeneficiaryKind: byKey(c, "b#", "#n"),
    byMonth: amountsByKey(c, "mo#"),
    ...(target === undefined
      ? {}
      : { target: { minLuot: target.minLuot, percent: Math.floor((luot * 1000) / target.minLuot) / 10 } }),
  };
};

/** A percentage with one decimal, rounded down (never overstate progress); null with nothing to divide by. */
const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.floor((part * 1000) / whole) / 10;

/**
 * A unit's assessments in a year per subject kind: registered, assessed, recognised, the recognised rate
 * among registered subjects (assessed ones where nothing was registered), and the target of a scheme in
 * force that year for that kind, where one states it.
 */
export const assessmentFigures = (unit: Unit, year: number, c: Readonly<Record<string, number>>) => {
  const kinds = Object.entries(KIND_PREFIX) as [SubjectKind, string][];
  const byKind = kinds
    .map(([kind, p]) => {
      const registered = c[`${p}#r`] ?? 0;
      const assessed = c[`${p}#a`] ?? 0;
      const recognised = c[`${p}#ok`] ?? 0;
      const scheme = schemes.find(
        (s) => s.subjectKinds.includes(kind) && year >= s.years.from && year <= s.years.to,
      );
      const target = scheme === undefined ? undefined : targetFor(scheme, kind, year);
      return {
        kind,
        registered,
        assessed,
        recognised,
        ratePercent: percent(recognised, Math.max(registered, assessed)),
        ...(scheme === undefined ? {} : { scheme: { id: scheme.id, version: scheme.version } }),
        ...(target === undefined ? {} : { targetPercent: target }),
      };
    })
    .filter((k) => k.registered + k.assessed > 0);
  return { unit: { code: unit.code, name: unit.name, level: unit.level }, year, byKind };
};

/** A unit's sponsorships: started, ended, active, distinct teachers and students, by year. */
export const sponsorshipFigures = (unit: Unit, c: Readonly<Record<string, number>>) => ({
  unit: { code: unit.code, name: unit.name, level: unit.level },
  started: c.s ?? 0,
  ended: c.e ?? 0,
  active: (c.s ?? 0) - (c.e ?? 0),
  teachers: c.tp ?? 0,
  students: c.sp ?? 0,
  startedByYear: byKey(c, "y#", "#s"),
  endedByYear: byKey(c, "y#", "#e"),
});

/** One published count of people: withheld below `threshold`. */
const publicCount = (count: number, threshold: number): PublicCount =>
  count < threshold ? { count: null, suppressed: true } : { count };

/**
 * The public face of a unit's support: lượt and amounts, the count of people withheld below `threshold`,
 * and lượt by beneficiary kind with small counts withheld, so that nobody in a small commune can be singled
 * out. No breakdown by reason or month: a small cell there would say what one person got, and when.
 */
export const publicSupportFigures = (
  figures: ReturnType<typeof supportFigures>,
  threshold: number = DEFAULT_SUPPRESSION_THRESHOLD,
) => ({
  unit: figures.unit,
  year: figures.year,
  luot: figures.luot,
  moneyVnd: figures.moneyVnd,
  inKindVnd: figures.inKindVnd,
  people: publicCount(figures.people, threshold),
  luotByBeneficiaryKind: suppressSmallCounts(
    Object.entries(figures.byBeneficiaryKind).map(([key, count]) => ({ key, count })),
    threshold,
  ),
  ...(figures.target === undefined ? {} : { target: figures.target }),
});
