import { z } from "zod";
import { OffsetDateTime } from "./date-time.ts";
import { staffEnvelopeFields, UnitCode } from "./envelope.ts";
import { text } from "./text.ts";

/** What is assessed: the four models of the learning society, and the commune learning community. */
export const SubjectKind = z.enum([
  "learning-family",
  "learning-clan",
  "learning-community",
  "learning-unit",
  "commune-learning-community",
]);
export type SubjectKind = z.infer<typeof SubjectKind>;

/** A subject by a random id and its kind; its name, if any, is not an event's business. */
export const Subject = z.strictObject({
  kind: SubjectKind,
  subjectId: z.uuid({ message: "must be a UUID" }),
});

/** A data year of assessment. */
export const AssessmentYear = z.number().int("must be a whole year").min(2014).max(2100);

/**
 * The body of `POST /v1/assessments/registrations`: a subject registers to be assessed for a year.
 * @example see events/examples/assessment-registered.json
 */
export const AssessmentRegistrationRequest = z.strictObject({
  subject: Subject,
  year: AssessmentYear,
  occurredAt: OffsetDateTime,
  unitCode: UnitCode,
});

export const AssessmentRegistered = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("AssessmentRegistered"),
  schemaVersion: z.literal(1),
  data: z.strictObject({ subject: Subject, year: AssessmentYear }),
});
export type AssessmentRegistered = z.infer<typeof AssessmentRegistered>;

/** A scheme version by id, e.g. `{ id: "qd-387-2021", version: 1 }`. */
export const SchemeRef = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a scheme id such as qd-387-2021"),
  version: z.number().int().positive(),
});

/**
 * The body of `POST /v1/assessments/results`: a subject's result for a year under a named scheme version.
 * A scheme that does not cover that year or subject kind, or a level it does not define, is 422
 * `scheme_not_applicable`.
 * @example see events/examples/assessment-recorded.json
 */
export const AssessmentResultRequest = z.strictObject({
  subject: Subject,
  year: AssessmentYear,
  scheme: SchemeRef,
  level: z.string().regex(/^[a-z0-9-]{1,40}$/, "must be a level id of the scheme"),
  /** Who decided: the council or committee, by title (not a person's name). */
  assessedBy: text(200, "refused"),
  occurredAt: OffsetDateTime,
  unitCode: UnitCode,
});

/** A result, with whether the scheme counted that level as recognised at the time (never re-derived). */
export const AssessmentRecorded = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("AssessmentRecorded"),
  schemaVersion: z.literal(1),
  data: z.strictObject({
    subject: Subject,
    year: AssessmentYear,
    scheme: SchemeRef,
    level: z.string(),
    recognised: z.boolean(),
    assessedBy: z.string(),
  }),
});
export type AssessmentRecorded = z.infer<typeof AssessmentRecorded>;
