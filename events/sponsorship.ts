import { z } from "zod";
import { BeneficiaryId } from "./beneficiary.ts";
import { OffsetDateTime } from "./date-time.ts";
import { staffEnvelopeFields, UnitCode } from "./envelope.ts";

/**
 * The body of `POST /v1/sponsorships`: a teacher (a registered beneficiary of kind teacher) starts
 * sponsoring a student. More than the per-teacher maximum answers 422 `sponsorship_limit`.
 * @example see events/examples/sponsorship-started.json
 */
export const SponsorshipStartRequest = z.strictObject({
  sponsorshipId: z.uuid({ message: "must be a UUID" }).optional(),
  teacherId: BeneficiaryId,
  studentId: BeneficiaryId,
  occurredAt: OffsetDateTime,
  unitCode: UnitCode,
});
export type SponsorshipStartRequest = z.infer<typeof SponsorshipStartRequest>;

export const SponsorshipStarted = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("SponsorshipStarted"),
  schemaVersion: z.literal(1),
  sponsorshipId: z.uuid(),
  data: z.strictObject({ teacherId: BeneficiaryId, studentId: BeneficiaryId }),
});
export type SponsorshipStarted = z.infer<typeof SponsorshipStarted>;

export const SponsorshipEndReason = z.enum(["completed", "student-left", "teacher-left", "other"]);

/**
 * The body of `POST /v1/sponsorships/{sponsorshipId}/end`: why and when. The teacher, student and unit are
 * the ones the start recorded, read from the ledger.
 * @example see events/examples/sponsorship-ended.json
 */
export const SponsorshipEndRequest = z.strictObject({
  reason: SponsorshipEndReason,
  occurredAt: OffsetDateTime,
});
export type SponsorshipEndRequest = z.infer<typeof SponsorshipEndRequest>;

export const SponsorshipEnded = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("SponsorshipEnded"),
  schemaVersion: z.literal(1),
  sponsorshipId: z.uuid(),
  data: z.strictObject({ teacherId: BeneficiaryId, studentId: BeneficiaryId, reason: SponsorshipEndReason }),
});
export type SponsorshipEnded = z.infer<typeof SponsorshipEnded>;
