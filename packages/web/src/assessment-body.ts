import qd281 from "../../../data/assessment-schemes/qd-281-2014.v1.json" with { type: "json" };
import qd387 from "../../../data/assessment-schemes/qd-387-2021.v1.json" with { type: "json" };
import tt25 from "../../../data/assessment-schemes/tt-25-2023.v1.json" with { type: "json" };
import tt44 from "../../../data/assessment-schemes/tt-44-2014.v1.json" with { type: "json" };
import { occurredAtOf } from "./occurred-at.ts";

/** What is assessed (`SubjectKind` of events/assessment.ts). */
export const SUBJECT_KINDS = [
  "learning-family",
  "learning-clan",
  "learning-community",
  "learning-unit",
  "commune-learning-community",
] as const;

/** A scheme version as the form offers it: what it covers and its levels, from data/assessment-schemes/. */
export interface SchemeChoice {
  readonly id: string;
  readonly version: number;
  readonly years: { readonly from: number; readonly to: number };
  readonly subjectKinds: readonly string[];
  readonly levels: readonly { readonly id: string; readonly recognised: boolean }[];
}

/** The same data files the API judges results by, so the form offers what the API accepts. */
export const SCHEMES: readonly SchemeChoice[] = [qd281, qd387, tt44, tt25];

/** `id@version`: one select's value for a scheme version. */
export const schemeKey = (s: { readonly id: string; readonly version: number }) => `${s.id}@${s.version}`;

/** The scheme versions that assess a subject of `kind` in `year`; none for a year that is not a number. */
export const schemesFor = (kind: string, year: number, known: readonly SchemeChoice[] = SCHEMES) =>
  known.filter((s) => s.subjectKinds.includes(kind) && year >= s.years.from && year <= s.years.to);

/** The registration form and the result form share the subject and the year. */
export interface AssessmentFormState {
  readonly subjectKind: string;
  readonly subjectId: string;
  /** As typed; a whole number is sent as a number, anything else as typed for the API to refuse. */
  readonly year: string;
  /** `YYYY-MM-DD`, a day in Vietnam. */
  readonly date: string;
  readonly unitCode: string;
  /** `id@version` of the chosen scheme, or "". */
  readonly scheme: string;
  readonly level: string;
  readonly assessedBy: string;
}

const yearOf = (text: string): number | string | undefined => {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  return /^\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
};

const common = (f: AssessmentFormState, now: Date) => {
  const year = yearOf(f.year);
  return {
    subject: { ...(f.subjectKind === "" ? {} : { kind: f.subjectKind }), subjectId: f.subjectId.trim() },
    ...(year === undefined ? {} : { year }),
    ...(f.date === "" ? {} : { occurredAt: occurredAtOf(f.date, now) }),
    unitCode: f.unitCode.trim(),
  };
};

/**
 * The body of `POST /v1/assessments/registrations`. A subject registers once a year (the API derives the
 * event from the subject and the year), so a retry is the same registration.
 */
export const registrationBodyOf = (f: AssessmentFormState, now = new Date()) => common(f, now);

/** The body of `POST /v1/assessments/results`: a result at a level of a named scheme version. */
export const resultBodyOf = (f: AssessmentFormState, now = new Date()) => {
  const at = f.scheme.lastIndexOf("@");
  const scheme = at > 0 ? { id: f.scheme.slice(0, at), version: Number(f.scheme.slice(at + 1)) } : undefined;
  return {
    ...common(f, now),
    ...(scheme === undefined ? {} : { scheme }),
    ...(f.level === "" ? {} : { level: f.level }),
    assessedBy: f.assessedBy,
  };
};

/** Which field an issue's path belongs to (an input's id); undefined: said above the form. */
export const assessmentFieldOf = (path: string): string | undefined => {
  if (path.startsWith("scheme")) return "scheme";
  return (
    {
      subject: "subjectKind",
      "subject.kind": "subjectKind",
      "subject.subjectId": "subjectId",
      year: "year",
      occurredAt: "date",
      unitCode: "unitCode",
      level: "level",
      assessedBy: "assessedBy",
    } as Record<string, string>
  )[path];
};
