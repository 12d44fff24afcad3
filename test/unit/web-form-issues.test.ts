import { describe, expect, it } from "vitest";
import { consentIssues } from "#domain/beneficiary.ts";
import type { ClientError } from "#domain/errors.ts";
import { sponsorshipLimit } from "#domain/family-commands.ts";
import { insufficientRestrictedFunds } from "#domain/funds.ts";
import { unitOrRefusal } from "#domain/unit-errors.ts";
import { BeneficiaryRegistration } from "#events/beneficiary.ts";
import { type BeneficiaryFormState, beneficiaryBodyOf, beneficiaryFieldOf } from "#web/beneficiary-body.ts";
import { errorsOf, refusalIssueCode } from "#web/form-issues.ts";
import { issueMessage } from "#web/issue-messages.ts";
import { sponsorshipStartFieldOf } from "#web/sponsorship-body.ts";
import { supportFieldOf } from "#web/support-body.ts";

/** A refusal as the staff form reads it from the answer `httpErrors` makes of a thrown ClientError. */
const refusalOf = (error: ClientError) => {
  const answer = JSON.parse(JSON.stringify({ error: error.code, issues: error.issues }));
  return { kind: "refused", error: answer.error as string, issues: answer.issues as { path: string }[] };
};
const thrown = (act: () => unknown): ClientError => {
  try {
    act();
  } catch (error) {
    return error as ClientError;
  }
  throw new Error("nothing was thrown");
};

/** A boy of twelve registered on the day, as the form would send him. */
const boy: BeneficiaryFormState = {
  kind: "student",
  unitCode: "02683",
  schoolName: "Trường THCS Bát Xát",
  gradeBand: "lower-secondary",
  circumstances: ["poor-household"],
  fullName: "Lò Văn An",
  dateOfBirth: "2014-03-02",
  gender: "male",
  ethnicity: "",
  address: "",
  phone: "",
  guardianName: "",
  guardianRelationship: "",
  guardianPhone: "",
  bankName: "",
  accountNumber: "",
  accountHolder: "",
  guardianConsent: false,
  subjectConsent: false,
  consentPurposes: [],
  consentDate: "2026-11-28",
};

describe("where a staff form says a refusal's issues", () => {
  it("given a sponsorship_limit refusal, when placed, then it is said beside the teacher's id, not above", () => {
    // Given: the 422 the server makes of a teacher who sponsors the most students allowed
    const refusal = refusalOf(sponsorshipLimit(2, 2));
    // When
    const placed = errorsOf(refusal, sponsorshipStartFieldOf, "vi");
    // Then
    expect(placed.fields).toEqual({ teacherId: issueMessage("sponsorship_limit", "vi") });
    expect(placed.general).toEqual([]);
    expect(placed.refusalAbove).toBe(false);
  });

  it("given a minor registered with no guardian and no consent, when placed, then each field says its own part in both languages", () => {
    // Given: what the server's consent rules find in the form's body
    const parsed = BeneficiaryRegistration.parse(beneficiaryBodyOf(crypto.randomUUID(), boy));
    const issues = consentIssues(parsed, "2026-11-28T09:00:00+07:00");
    const refusal = { kind: "refused", error: "consent_required", issues };
    for (const lang of ["vi", "en"] as const) {
      // When
      const placed = errorsOf(refusal, beneficiaryFieldOf, lang);
      // Then: the guardian's name, and who consented (the guardian's and his own, both said)
      expect(placed.fields).toEqual({
        guardianName: issueMessage("guardian_required", lang),
        consentGiven: `${issueMessage("guardian_consent_required", lang)} ${issueMessage("subject_consent_required", lang)}`,
      });
      expect(placed.refusalAbove).toBe(false);
    }
  });

  it("given every path a consent_required refusal can name, when worded, then each has words of its own in both languages", () => {
    const paths = [
      "personalData.dateOfBirth",
      "personalData.guardian",
      "consent.guardian",
      "consent.subject",
      "consent.subject.purposes",
      "consent.guardian.givenAt",
    ];
    for (const lang of ["vi", "en"] as const) {
      const words = paths.map((path) => issueMessage(refusalIssueCode("consent_required", { path }), lang));
      expect(new Set(words).size).toBe(paths.length);
      expect(words).not.toContain(issueMessage("invalid", lang));
      expect(paths.map(beneficiaryFieldOf)).not.toContain(undefined);
    }
  });

  it("given refusals whose issues carry a code or none, when placed on the support form, then each field says the right one", () => {
    // Given: an unknown commune code (no code on its issue) and restricted money used up (a code of its own)
    const retired = refusalOf(
      thrown(() => unitOrRefusal({ ok: false, reason: "unknown", code: "99999", day: "2026-11-28" })),
    );
    const spent = refusalOf(
      insufficientRestrictedFunds({ unitCode: "02683", purpose: "campaign:x" }, 100_000, 500_000),
    );
    // When / Then
    expect(errorsOf(retired, supportFieldOf, "en").fields).toEqual({
      unitCode: issueMessage("unit_not_in_force", "en"),
    });
    expect(errorsOf(spent, supportFieldOf, "en").fields).toEqual({
      moneyVnd: issueMessage("insufficient_restricted_funds", "en"),
    });
  });

  it("given a refusal that names no field or a field the form lacks, when placed, then it is said above the form", () => {
    // A refusal with no issues, e.g. a 409 conflict
    expect(
      errorsOf({ kind: "refused", error: "beneficiary_id_conflict", issues: [] }, beneficiaryFieldOf, "vi"),
    ).toEqual({ fields: {}, general: [], refusalAbove: true });
    // One issue placed, one not: both said, the refusal above
    const mixed = {
      kind: "refused",
      error: "consent_required",
      issues: [{ path: "consent.guardian" }, { path: "somewhere.else" }],
    };
    const placed = errorsOf(mixed, beneficiaryFieldOf, "vi");
    expect(placed.fields).toEqual({ consentGiven: issueMessage("guardian_consent_required", "vi") });
    expect(placed.refusalAbove).toBe(true);
  });

  it("given a 400, when placed, then issues with a field are beside it and the rest said above in words", () => {
    const invalid = {
      kind: "invalid",
      issues: [
        { path: "personalData.fullName", code: "blank" },
        { path: "unknown", code: "unknown_field" },
      ],
    };
    expect(errorsOf(invalid, beneficiaryFieldOf, "en")).toEqual({
      fields: { fullName: issueMessage("blank", "en") },
      general: [issueMessage("unknown_field", "en")],
      refusalAbove: false,
    });
  });
});
