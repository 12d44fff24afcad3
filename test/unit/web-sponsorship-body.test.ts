import { describe, expect, it } from "vitest";
import { SponsorshipEndRequest, SponsorshipStartRequest } from "#events/sponsorship.ts";
import {
  sponsorshipEndFieldOf,
  sponsorshipEndOf,
  sponsorshipStartBodyOf,
  sponsorshipStartFieldOf,
} from "#web/sponsorship-body.ts";

const sponsorshipId = "5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d";
const teacherId = "0c9b8a7f-6e5d-4c3b-9a1f-0e9d8c7b6a5f";
const studentId = "7d1f3c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b";
/** 20:00 on 28 November 2026 in Vietnam. */
const now = new Date("2026-11-28T13:00:00Z");

describe("the sponsorship forms' bodies", () => {
  it("given a filled start form, when sent, then it is a valid start under the form's one sponsorshipId", () => {
    // When
    const body = sponsorshipStartBodyOf(
      sponsorshipId,
      { teacherId: ` ${teacherId}`, studentId, date: "2026-09-05", unitCode: "02683 " },
      now,
    );
    // Then
    expect(SponsorshipStartRequest.safeParse(body).success).toBe(true);
    expect(body).toEqual({
      sponsorshipId,
      teacherId,
      studentId,
      occurredAt: "2026-09-05T12:00:00+07:00",
      unitCode: "02683",
    });
  });

  it("given a start form left empty, when sent, then every issue the API finds has a field to be said beside", () => {
    const body = sponsorshipStartBodyOf(
      sponsorshipId,
      { teacherId: "", studentId: "x", date: "", unitCode: "" },
      now,
    );
    const parsed = SponsorshipStartRequest.safeParse(body);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["teacherId", "studentId", "occurredAt", "unitCode"]));
    expect(paths.map(sponsorshipStartFieldOf)).not.toContain(undefined);
  });

  it("given an end form, when sent, then the id is in the path, escaped, and the body a valid end", () => {
    // When
    const end = sponsorshipEndOf(
      { sponsorshipId: ` ${sponsorshipId} `, reason: "completed", date: "2026-11-28" },
      now,
    );
    const odd = sponsorshipEndOf({ sponsorshipId: "../support", reason: "", date: "" }, now);
    // Then
    expect(end.path).toBe(`v1/sponsorships/${sponsorshipId}/end`);
    expect(end.body).toEqual({ reason: "completed", occurredAt: "2026-11-28T20:00:00+07:00" });
    expect(SponsorshipEndRequest.safeParse(end.body).success).toBe(true);
    expect(odd.path).toBe("v1/sponsorships/..%2Fsupport/end");
    const parsed = SponsorshipEndRequest.safeParse(odd.body);
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths.sort()).toEqual(["occurredAt", "reason"]);
    expect(paths.map(sponsorshipEndFieldOf)).not.toContain(undefined);
    expect(sponsorshipEndFieldOf("sponsorshipId")).toBe("sponsorshipId");
  });
});
