import { occurredAtOf } from "./occurred-at.ts";

/** The form that starts a sponsorship, as typed. */
export interface SponsorshipStartState {
  readonly teacherId: string;
  readonly studentId: string;
  /** `YYYY-MM-DD`, a day in Vietnam. */
  readonly date: string;
  readonly unitCode: string;
}

/** The form that ends one, as typed. */
export interface SponsorshipEndState {
  readonly sponsorshipId: string;
  readonly reason: string;
  readonly date: string;
}

/**
 * The body of `POST /v1/sponsorships`: `sponsorshipId` is made once per form, so a retry starts one
 * sponsorship and takes one of the teacher's places.
 */
export const sponsorshipStartBodyOf = (
  sponsorshipId: string,
  f: SponsorshipStartState,
  now = new Date(),
) => ({
  sponsorshipId,
  teacherId: f.teacherId.trim(),
  studentId: f.studentId.trim(),
  ...(f.date === "" ? {} : { occurredAt: occurredAtOf(f.date, now) }),
  unitCode: f.unitCode.trim(),
});

/**
 * The path and body of `POST /v1/sponsorships/{id}/end`. The id goes in the path as typed but trimmed
 * and escaped, so what is not a UUID comes back as the API's 400 on it rather than another route.
 */
export const sponsorshipEndOf = (f: SponsorshipEndState, now = new Date()) => ({
  path: `v1/sponsorships/${encodeURIComponent(f.sponsorshipId.trim())}/end`,
  body: {
    ...(f.reason === "" ? {} : { reason: f.reason }),
    ...(f.date === "" ? {} : { occurredAt: occurredAtOf(f.date, now) }),
  },
});

/** Which start field an issue's path belongs to; undefined: said above the form. */
export const sponsorshipStartFieldOf = (path: string): string | undefined =>
  ({ teacherId: "teacherId", studentId: "studentId", occurredAt: "startDate", unitCode: "unitCode" })[path];

/** Which end field an issue's path belongs to; undefined: said above the form. */
export const sponsorshipEndFieldOf = (path: string): string | undefined =>
  ({ sponsorshipId: "sponsorshipId", reason: "endReason", occurredAt: "endDate" })[path];
