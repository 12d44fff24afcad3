import { z } from "zod";
import { UnitNotFound } from "#domain/unit-errors.ts";
import {
  assessmentFigures,
  countersOf,
  type ReadPlan,
  readPlan,
  sponsorshipFigures,
  supportFigures,
} from "#domain/unit-figures.ts";
import { type AsOf, REFORM_2025 } from "#domain/units.ts";
import { parseParams } from "../shared/params.ts";

/** The figures a unit route reads: one family of projections each. */
export type Family = "support" | "assessments" | "sponsorships";

const PARTITION_FAMILY: Readonly<Record<Family, "sup" | "asm" | "spo">> = {
  support: "sup",
  assessments: "asm",
  sponsorships: "spo",
};

/** The first year the association's figures are read for; nothing earlier was recorded. */
export const FIRST_YEAR = 2000;

/** The partition's items as `store.readPartition` returns them: counters per item, shards summed. */
export type Items = ReadonlyMap<string, Readonly<Record<string, number>>>;

/** One Query: every item of one partition (`store.readPartition`). */
export type ReadPartition = (partition: string) => Promise<Items>;

const Code = z
  .string()
  .regex(
    /^(VN|\d{2}|\d{3}|\d{5})$/,
    "must be VN, a 2-digit province, a 3-digit district or a 5-digit commune code",
  );

const yearParam = (lastYear: number) =>
  z
    .string()
    .regex(/^\d{4}$/, "must be a year such as 2019")
    .transform(Number)
    .pipe(
      z
        .number()
        .min(FIRST_YEAR, `must be ${FIRST_YEAR} or later`)
        .max(lastYear, `must not be after ${lastYear}`),
    );

const AsOfParam = z.enum(["historic", "current"], "must be historic or current").default("current");

/** A unit query, checked: which family, unit, view and year, and the partition that answers it. */
export interface UnitQuery {
  readonly family: Family;
  readonly asOf: AsOf;
  /** Absent for sponsorships read without one. */
  readonly year?: number;
  readonly plan: ReadPlan;
}

const notFound = (code: string, asOf: AsOf, today: string, year?: number): UnitNotFound => {
  const when = asOf === "historic" && year !== undefined ? `in ${year}` : `today (${today})`;
  const hint =
    code.length === 3 && (asOf === "current" || year === undefined || year > Number(REFORM_2025.slice(0, 4)))
      ? `; districts were abolished on ${REFORM_2025}: read a district with asOf=historic and a year up to 2025`
      : "";
  const message = `no administrative unit had code ${code} ${when}${hint}`;
  return new UnitNotFound(message, [{ path: "code", message }]);
};

/**
 * `GET /v1/units/{code}/<family>?year=&asOf=`, checked and planned: a 400 naming each bad parameter (a code
 * of the wrong shape, a year missing for support and assessments, not a year or after this one, an asOf
 * other than `historic` or `current`, by default `current`), a 404 for a code that named no unit then.
 * Pure: `today` is the Vietnamese day of the request.
 */
export const unitQueryOf = (
  family: Family,
  path: Record<string, string | undefined> | undefined,
  query: Record<string, string | undefined> | undefined,
  today: string,
): UnitQuery => {
  const Year = yearParam(Number(today.slice(0, 4)));
  const params = parseParams(
    { code: path?.code, year: query?.year, asOf: query?.asOf },
    z.object({
      code: Code,
      year: family === "sponsorships" ? Year.optional() : Year,
      asOf: AsOfParam,
    }),
  );
  const plan = readPlan(PARTITION_FAMILY[family], params.code, params.asOf, today, params.year);
  if (plan === undefined) throw notFound(params.code, params.asOf, today, params.year);
  return { family, asOf: params.asOf, ...(params.year === undefined ? {} : { year: params.year }), plan };
};

/** The figures a query's partition holds, as the staff read them. */
export const staffFiguresOf = (query: UnitQuery, items: Items) => {
  const counters = countersOf(query.plan, items);
  const { unit } = query.plan;
  switch (query.family) {
    case "support":
      return { asOf: query.asOf, ...supportFigures(unit, query.year ?? 0, counters) };
    case "assessments":
      return { asOf: query.asOf, ...assessmentFigures(unit, query.year ?? 0, counters) };
    case "sponsorships":
      return { asOf: query.asOf, ...sponsorshipFigures(unit, counters) };
    default: {
      const unhandled: never = query.family;
      throw new Error(`unknown family ${String(unhandled)}`);
    }
  }
};
