import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { consentIssues } from "#domain/beneficiary.ts";
import { BeneficiaryRegistration, Circumstance, GradeBand, PersonalData } from "#events/beneficiary.ts";
import {
  type BeneficiaryFormState,
  bankAccountIssues,
  beneficiaryBodyOf,
  beneficiaryFieldOf,
  CIRCUMSTANCES,
  GRADE_BANDS,
  RELATIONSHIPS,
} from "#web/beneficiary-body.ts";

const beneficiaryId = "7d1f3c2a-5b6e-4f80-9a1b-2c3d4e5f6a7b";
/** A girl of ten with her grandfather as guardian: both consents needed, as the form is filled. */
const filled: BeneficiaryFormState = {
  kind: "student",
  unitCode: "02683",
  schoolName: "Trường Tiểu học Bát Xát",
  gradeBand: "primary",
  circumstances: ["near-poor-household", "orphan"],
  fullName: "Lò Thị Mai",
  dateOfBirth: "2016-04-12",
  gender: "female",
  ethnicity: "Thái",
  address: "",
  phone: "",
  guardianName: "Lò Văn Hùng",
  guardianRelationship: "grandparent",
  guardianPhone: "0912 345 678",
  bankName: "",
  accountNumber: "",
  accountHolder: "",
  guardianConsent: true,
  subjectConsent: true,
  consentPurposes: ["payment"],
  consentDate: "2026-09-10",
};

describe("the beneficiary registration form's body", () => {
  it("offers exactly the grade bands, circumstances and guardian relationships the API accepts", () => {
    // Given the choices the web bundle writes out, and the schema the API validates with
    const relationships = PersonalData.shape.guardian.unwrap().shape.relationship.options;
    // Then they are the same lists, so no offered choice is a 400 and none the API takes is missing
    expect([...GRADE_BANDS].sort()).toEqual([...GradeBand.options].sort());
    expect([...CIRCUMSTANCES].sort()).toEqual([...Circumstance.options].sort());
    expect([...RELATIONSHIPS].sort()).toEqual([...relationships].sort());
  });

  it("given a filled form for a child, when sent, then it is a valid registration whose consents cover her", () => {
    // When
    const body = beneficiaryBodyOf(beneficiaryId, filled);
    // Then
    const parsed = BeneficiaryRegistration.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(body.consent).toEqual({
      guardian: { givenAt: "2026-09-10T00:00:00+07:00", purposes: ["support-administration", "payment"] },
      subject: { givenAt: "2026-09-10T00:00:00+07:00", purposes: ["support-administration", "payment"] },
    });
    expect(body.personalData.guardian).toEqual({
      fullName: "Lò Văn Hùng",
      relationship: "grandparent",
      phone: "0912345678",
    });
    // the server's rules across fields hold for a registration on the consents' day
    if (parsed.success) expect(consentIssues(parsed.data, "2026-09-10T09:00:00+07:00")).toEqual([]);
  });

  it("given optional fields left empty, when sent, then they are left out rather than sent blank", () => {
    // When
    const body = beneficiaryBodyOf(beneficiaryId, {
      ...filled,
      ethnicity: " ",
      gender: "",
      guardianName: "",
      guardianRelationship: "",
      guardianPhone: "",
      guardianConsent: false,
    });
    // Then
    expect(body.personalData).toEqual({ fullName: "Lò Thị Mai", dateOfBirth: "2016-04-12" });
    expect(body.consent).not.toHaveProperty("guardian");
    expect(BeneficiaryRegistration.safeParse(body).success).toBe(true);
  });

  it("given a form left empty, when sent, then every issue the API finds has a field to be said beside", () => {
    // Given
    const empty: BeneficiaryFormState = {
      ...filled,
      unitCode: "",
      schoolName: "",
      gradeBand: "",
      circumstances: [],
      fullName: "",
      dateOfBirth: "",
      guardianRelationship: "",
      consentDate: "",
    };
    // When
    const parsed = BeneficiaryRegistration.safeParse(beneficiaryBodyOf(beneficiaryId, empty));
    // Then
    const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(
      expect.arrayContaining([
        "unitCode",
        "school.name",
        "gradeBand",
        "circumstances",
        "personalData.fullName",
        "personalData.dateOfBirth",
        "personalData.guardian.relationship",
        "consent.guardian.givenAt",
      ]),
    );
    expect(paths.map(beneficiaryFieldOf)).not.toContain(undefined);
  });

  it("given any typing in any field, when sent, then every schema issue names a field of the form", () => {
    const typed = fc.string({ maxLength: 30 });
    fc.assert(
      fc.property(
        fc.record({
          unitCode: typed,
          schoolName: typed,
          fullName: typed,
          dateOfBirth: typed,
          phone: typed,
          guardianName: typed,
          guardianPhone: typed,
          consentDate: typed,
          gradeBand: fc.constantFrom("", "primary", "nonsense"),
          circumstances: fc.subarray(["orphan", "other", "disability"]),
        }),
        (typing) => {
          const parsed = BeneficiaryRegistration.safeParse(
            beneficiaryBodyOf(beneficiaryId, { ...filled, ...typing }),
          );
          const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
          for (const path of paths) expect([path, beneficiaryFieldOf(path)]).not.toContainEqual(undefined);
        },
      ),
    );
  });

  it("given a consent's path, when placed, then its date, its purposes and who consented each have their field", () => {
    expect(beneficiaryFieldOf("consent.subject.givenAt")).toBe("consentDate");
    expect(beneficiaryFieldOf("consent.guardian.purposes.0")).toBe("consentPurposes");
    expect(beneficiaryFieldOf("consent.guardian")).toBe("consentGiven");
    expect(beneficiaryFieldOf("personalData.guardian")).toBe("guardianName");
    expect(beneficiaryFieldOf("somethingElse")).toBeUndefined();
  });

  it("given a bank account typed with spaces, when sent, then it is a valid registration carrying it as digits", () => {
    // Given
    const typed = {
      ...filled,
      bankName: " Agribank ",
      accountNumber: "1234 5678.9012",
      accountHolder: "Lò Văn Hùng",
    };
    // When
    const body = beneficiaryBodyOf(beneficiaryId, typed);
    // Then
    expect(bankAccountIssues(typed)).toEqual([]);
    expect(body.personalData.bankAccount).toEqual({
      bank: "Agribank",
      accountNumber: "123456789012",
      holder: "Lò Văn Hùng",
    });
    expect(BeneficiaryRegistration.safeParse(body).success).toBe(true);
  });

  it("given no bank account, when sent, then none is sent and nothing is said of it", () => {
    const blank = { ...filled, bankName: " ", accountNumber: "", accountHolder: "" };
    expect(beneficiaryBodyOf(beneficiaryId, blank).personalData).not.toHaveProperty("bankAccount");
    expect(bankAccountIssues(blank)).toEqual([]);
  });

  it("given a bank account partly filled, when checked before sending, then each field left empty is named", () => {
    // When
    const issues = bankAccountIssues({
      ...filled,
      bankName: "Agribank",
      accountNumber: "",
      accountHolder: "",
    });
    // Then
    expect(issues).toEqual([
      { path: "personalData.bankAccount.accountNumber", code: "bank_account_incomplete" },
      { path: "personalData.bankAccount.holder", code: "bank_account_incomplete" },
    ]);
    expect(issues.map((i) => beneficiaryFieldOf(i.path))).toEqual(["accountNumber", "accountHolder"]);
  });

  it("given any typing in the bank account, when the form finds no issue, then the API's schema finds none in it", () => {
    const typed = fc.oneof(
      fc.constant(""),
      fc.string({ maxLength: 25 }),
      fc.stringMatching(/^[\d .]{0,25}$/),
    );
    fc.assert(
      fc.property(fc.record({ bankName: typed, accountNumber: typed, accountHolder: typed }), (bank) => {
        const form = { ...filled, ...bank };
        const parsed = BeneficiaryRegistration.safeParse(beneficiaryBodyOf(beneficiaryId, form));
        const paths = parsed.success ? [] : parsed.error.issues.map((i) => i.path.join("."));
        const bankPaths = paths.filter((p) => p.startsWith("personalData.bankAccount"));
        // Every schema issue in the group has its field, and what the form lets through the API takes
        for (const path of bankPaths) expect(beneficiaryFieldOf(path)).toBeDefined();
        if (bankAccountIssues(form).length === 0) expect(bankPaths).toEqual([]);
      }),
    );
  });
});
