import { randomUUID } from "node:crypto";
import type { AssessmentRecorded, AssessmentRegistered } from "#events/assessment.ts";
import type { SponsorshipEnded, SponsorshipStarted } from "#events/sponsorship.ts";
import type { GrantFacts, SupportCorrected, SupportGranted, SupportRevoked } from "#events/support.ts";

const envelope = (occurredAt: string, unitCode: string) => ({
  eventId: randomUUID(),
  occurredAt,
  recordedAt: occurredAt,
  unitCode,
  source: { channel: "staff" as const, contentHash: "0".repeat(64) },
  actor: { subject: "staff-1", role: "unit-staff" as const },
});

/** A grant's facts with defaults: 1,000,000 VND to a student for hardship, paid from the fund. */
export const grantFacts = (over: Partial<GrantFacts> = {}): GrantFacts => ({
  recipient: { type: "beneficiary", beneficiaryId: randomUUID(), beneficiaryKind: "student" },
  reason: "hardship",
  moneyVnd: 1_000_000,
  inKindVnd: 0,
  fundedBy: { source: "fund" },
  occurredAt: "2018-09-05T09:00:00+07:00",
  unitCode: "02635",
  ...over,
});

export const granted = (facts: GrantFacts, supportId: string = randomUUID()): SupportGranted => {
  const { occurredAt, unitCode, ...data } = facts;
  return { ...envelope(occurredAt, unitCode), type: "SupportGranted", schemaVersion: 1, supportId, data };
};

export const corrected = (
  original: GrantFacts,
  now: SupportCorrected["data"]["corrected"],
  supportId: string = randomUUID(),
): SupportCorrected => ({
  ...envelope(original.occurredAt, original.unitCode),
  type: "SupportCorrected",
  schemaVersion: 1,
  supportId,
  data: { original, corrected: now },
});

export const revoked = (original: GrantFacts, supportId: string = randomUUID()): SupportRevoked => ({
  ...envelope(original.occurredAt, original.unitCode),
  type: "SupportRevoked",
  schemaVersion: 1,
  supportId,
  data: { original, reason: "recorded-in-error" },
});

export const sponsorshipStarted = (
  teacherId: string,
  studentId: string,
  occurredAt = "2026-09-05T08:00:00+07:00",
  unitCode = "04252",
): SponsorshipStarted => ({
  ...envelope(occurredAt, unitCode),
  type: "SponsorshipStarted",
  schemaVersion: 1,
  sponsorshipId: randomUUID(),
  data: { teacherId, studentId },
});

export const sponsorshipEnded = (
  teacherId: string,
  studentId: string,
  occurredAt = "2027-06-01T08:00:00+07:00",
  unitCode = "04252",
): SponsorshipEnded => ({
  ...envelope(occurredAt, unitCode),
  type: "SponsorshipEnded",
  schemaVersion: 1,
  sponsorshipId: randomUUID(),
  data: { teacherId, studentId, reason: "completed" },
});

type Subject = AssessmentRegistered["data"]["subject"];

export const assessmentRegistered = (
  subject: Subject,
  year: number,
  unitCode = "04252",
): AssessmentRegistered => ({
  ...envelope(`${year}-03-01T09:00:00+07:00`, unitCode),
  type: "AssessmentRegistered",
  schemaVersion: 1,
  data: { subject, year },
});

export const assessmentRecorded = (
  subject: Subject,
  year: number,
  recognised: boolean,
  unitCode = "04252",
): AssessmentRecorded => ({
  ...envelope(`${year}-12-10T09:00:00+07:00`, unitCode),
  type: "AssessmentRecorded",
  schemaVersion: 1,
  data: {
    subject,
    year,
    scheme: { id: "qd-387-2021", version: 1 },
    level: recognised ? "recognised" : "not-recognised",
    recognised,
    assessedBy: "Ban chỉ đạo xã",
  },
});
