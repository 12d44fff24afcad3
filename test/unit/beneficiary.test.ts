import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ageOn,
  consentedPurposes,
  consentIssues,
  derivedEventId,
  purposeAllowed,
  registrationFromRequest,
} from "#domain/beneficiary.ts";
import { ConsentRequired } from "#domain/errors.ts";
import type { Principal } from "#domain/principal.ts";
import { BeneficiaryRegistered, BeneficiaryRegistration } from "#events/beneficiary.ts";
import { fixedClock } from "../helpers/events.ts";

const example = BeneficiaryRegistration.parse(
  JSON.parse(readFileSync("events/examples/beneficiary-registration.json", "utf8")),
);
const staff: Principal = { subject: "sub-1", role: "unit-staff", scope: "04252" };
const at = "2026-09-10T08:15:00+07:00";
const bornOn = (dateOfBirth: string) => ({
  ...example,
  personalData: { ...example.personalData, dateOfBirth },
});

describe("ageOn", () => {
  it.each([
    ["2019-09-10", "2026-09-10", 7],
    ["2019-09-11", "2026-09-10", 6],
    ["2008-02-29", "2026-02-28", 17],
    ["2008-02-29", "2026-03-01", 18],
  ])("born %s is %i on %s", (born, day, age) => {
    // Assess
    expect(ageOn(born, day)).toBe(age);
  });
});

describe("consent at registration", () => {
  it("given the example (a 10-year-old with both consents), then nothing is missing", () => {
    // Assess
    expect(consentIssues(example, at)).toEqual([]);
  });

  it("given a 6-year-old, then the guardian's consent suffices", () => {
    // Given
    const { subject: _none, ...guardianOnly } = example.consent;
    // Act
    const issues = consentIssues({ ...bornOn("2020-01-01"), consent: guardianOnly }, at);
    // Assess
    expect(issues).toEqual([]);
  });

  it("given a child of 7 without their own consent, then consent.subject is required", () => {
    // Given
    const { subject: _none, ...guardianOnly } = example.consent;
    // Act
    const issues = consentIssues({ ...bornOn("2019-09-10"), consent: guardianOnly }, at);
    // Assess
    expect(issues).toEqual([{ path: "consent.subject", message: "is required from age 7" }]);
  });

  it("given a minor without a guardian, then both the guardian and their consent are required", () => {
    // Given
    const { guardian: _g, ...personalData } = example.personalData;
    // Act
    const issues = consentIssues(
      { ...example, personalData, consent: { subject: example.consent.subject } },
      at,
    );
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["personalData.guardian", "consent.guardian"]);
  });

  it("given an adult teacher, then only their own consent is needed", () => {
    // Given
    const { guardian: _g, ...personalData } = example.personalData;
    const teacher = {
      ...example,
      kind: "teacher" as const,
      personalData: { ...personalData, dateOfBirth: "1990-05-01" },
      consent: { subject: example.consent.subject },
    };
    // Assess
    expect(consentIssues(teacher, at)).toEqual([]);
  });

  it("given a consent dated after the registration or for another purpose, then it does not count", () => {
    // Given
    const late = {
      ...example,
      consent: {
        guardian: { givenAt: "2026-09-11T08:00:00+07:00", purposes: ["support-administration" as const] },
        subject: { givenAt: at, purposes: ["contact" as const] },
      },
    };
    // Act
    const issues = consentIssues(late, at);
    // Assess
    expect(issues.map((i) => i.path)).toEqual(["consent.guardian.givenAt", "consent.subject.purposes"]);
  });
});

describe("registrationFromRequest", () => {
  it("given the example, then the event holds coded facts and an actor, and no personal data", () => {
    // Act
    const { event, personalData } = registrationFromRequest(example, staff, fixedClock());
    // Assess
    expect(BeneficiaryRegistered.safeParse(event).success).toBe(true);
    expect(personalData).toEqual(example.personalData);
    expect(event.actor).toEqual({ subject: "sub-1", role: "unit-staff" });
    const text = JSON.stringify(event);
    for (const value of ["Lò Thị Mai", "Lò Văn Hùng", "2016-04-12", "3300205123456", "Thái", "Bản Nà Sài"]) {
      expect(text).not.toContain(value);
    }
  });

  it("gives a retry the same event id and content hash, and another beneficiary another id", () => {
    // Act
    const first = registrationFromRequest(example, staff, fixedClock("2026-09-10T01:00:00Z")).event;
    const retry = registrationFromRequest(example, staff, fixedClock("2026-09-10T02:00:00Z")).event;
    // Assess
    expect(retry.eventId).toBe(first.eventId);
    expect(retry.source.contentHash).toBe(first.source.contentHash);
    expect(derivedEventId(example.beneficiaryId ?? "", "registered")).toBe(first.eventId);
    expect(derivedEventId("00000000-0000-4000-8000-000000000002", "registered")).not.toBe(first.eventId);
  });

  it("refuses a registration whose consents do not cover it with 422 consent_required, naming the paths", () => {
    // Act
    const act = () => registrationFromRequest({ ...example, consent: {} }, staff, fixedClock());
    // Assess: a rule over several fields and the person's age, which no schema carries, so not a 400
    expect(act).toThrow(ConsentRequired);
    try {
      act();
    } catch (error) {
      const refusal = error as ConsentRequired;
      expect(refusal.status).toBe(422);
      expect(refusal.code).toBe("consent_required");
      expect(refusal.issues.map((i) => i.path)).toEqual(["consent.guardian", "consent.subject"]);
    }
  });
});

describe("what the consents allow", () => {
  it("given a guardian's and a child's consent, then only the purposes both named are allowed", () => {
    // Act
    const purposes = consentedPurposes({
      guardian: { givenAt: at, purposes: ["support-administration", "payment"] },
      subject: { givenAt: at, purposes: ["support-administration", "contact"] },
    });
    // Assess
    expect(purposes).toEqual(["support-administration"]);
    expect(consentedPurposes({})).toEqual([]);
  });

  it.each([
    ["case-review", ["support-administration"], true],
    ["correction", ["support-administration"], true],
    ["support-payment", ["support-administration"], false],
    ["support-payment", ["payment"], true],
    ["case-review", ["payment"], false],
    ["data-subject-request", [], true],
  ] as const)("reading for %s with consent to %j is allowed: %s", (purpose, consented, allowed) => {
    // Assess
    expect(purposeAllowed(purpose, consented)).toBe(allowed);
  });
});
