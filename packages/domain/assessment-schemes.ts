import { z } from "zod";
import { SubjectKind } from "#events/assessment.ts";
import qd281 from "../../data/assessment-schemes/qd-281-2014.v1.json" with { type: "json" };
import qd387 from "../../data/assessment-schemes/qd-387-2021.v1.json" with { type: "json" };
import tt25 from "../../data/assessment-schemes/tt-25-2023.v1.json" with { type: "json" };
import tt44 from "../../data/assessment-schemes/tt-44-2014.v1.json" with { type: "json" };

/** A scheme version as its data file states it: checked when loaded, so a bad file fails the build. */
export const AssessmentScheme = z.strictObject({
  id: z.string(),
  version: z.number().int().positive(),
  legalBasis: z.string().min(1),
  years: z.strictObject({ from: z.number().int(), to: z.number().int() }),
  subjectKinds: z.array(SubjectKind).min(1),
  levels: z.array(z.strictObject({ id: z.string(), recognised: z.boolean() })).min(1),
  targets: z.array(
    z.strictObject({
      subjectKind: SubjectKind,
      byYear: z.number().int(),
      recognisedPercent: z.number().min(0).max(100),
    }),
  ),
});
export type AssessmentScheme = z.infer<typeof AssessmentScheme>;

/** Every scheme version the product knows, from data/assessment-schemes/. */
export const schemes: readonly AssessmentScheme[] = [qd281, qd387, tt44, tt25].map((s) =>
  AssessmentScheme.parse(s),
);

/** Why a result cannot be recorded under a scheme, or the level it names. */
export type SchemeDecision =
  | { readonly ok: true; readonly recognised: boolean }
  | { readonly ok: false; readonly message: string };

/**
 * Whether a result at `level` for a subject of `kind` in `year` may be recorded under scheme `id` version
 * `version`, and whether that level counts as recognised under it. Pure; `known` defaults to every scheme.
 */
export const judgeUnderScheme = (
  ref: { readonly id: string; readonly version: number },
  kind: SubjectKind,
  year: number,
  level: string,
  known: readonly AssessmentScheme[] = schemes,
): SchemeDecision => {
  const scheme = known.find((s) => s.id === ref.id && s.version === ref.version);
  if (scheme === undefined)
    return { ok: false, message: `scheme ${ref.id} version ${ref.version} does not exist` };
  const name = `${scheme.id} v${scheme.version}`;
  if (year < scheme.years.from || year > scheme.years.to)
    return { ok: false, message: `${name} covers ${scheme.years.from}-${scheme.years.to}, not ${year}` };
  if (!scheme.subjectKinds.includes(kind))
    return {
      ok: false,
      message: `${name} does not assess ${kind}; it assesses ${scheme.subjectKinds.join(", ")}`,
    };
  const found = scheme.levels.find((l) => l.id === level);
  if (found === undefined)
    return {
      ok: false,
      message: `${name} has no level ${level}; its levels are ${scheme.levels.map((l) => l.id).join(", ")}`,
    };
  return { ok: true, recognised: found.recognised };
};

/**
 * The scheme's target for a subject kind in force for `year`: the target whose year is the first on or
 * after it (a 2020 target is what 2018 progresses towards). Undefined where the scheme states none.
 */
export const targetFor = (
  ref: { readonly id: string; readonly version: number },
  kind: SubjectKind,
  year: number,
  known: readonly AssessmentScheme[] = schemes,
): number | undefined => {
  const scheme = known.find((s) => s.id === ref.id && s.version === ref.version);
  const ahead = (scheme?.targets ?? [])
    .filter((t) => t.subjectKind === kind && t.byYear >= year)
    .sort((a, b) => a.byYear - b.byYear);
  return ahead[0]?.recognisedPercent;
};
