/**
 * The choices the registration form offers, as events/beneficiary.ts lists them. The web bundle carries no
 * zod, so they are written here again; a unit test keeps them equal to the schema's.
 */
export const GRADE_BANDS = [
  "preschool",
  "primary",
  "lower-secondary",
  "upper-secondary",
  "vocational",
  "higher-education",
  "teacher",
] as const;
export const CIRCUMSTANCES = [
  "poor-household",
  "near-poor-household",
  "orphan",
  "disability",
  "ethnic-minority-hard-to-reach",
  "other",
] as const;
export const RELATIONSHIPS = [
  "mother",
  "father",
  "grandparent",
  "sibling",
  "other-relative",
  "legal-guardian",
] as const;

/** The registration form as typed: every value a string (or a set of ticked choices), as the inputs hold them. */
export interface BeneficiaryFormState {
  readonly kind: "student" | "teacher";
  readonly unitCode: string;
  readonly schoolName: string;
  readonly gradeBand: string;
  readonly circumstances: readonly string[];
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly gender: string;
  readonly ethnicity: string;
  readonly address: string;
  readonly phone: string;
  readonly guardianName: string;
  readonly guardianRelationship: string;
  readonly guardianPhone: string;
  /** The optional bank account (for paying support): all three or none. */
  readonly bankName: string;
  readonly accountNumber: string;
  readonly accountHolder: string;
  /** Who consented, and to what beyond support administration (always asked for). */
  readonly guardianConsent: boolean;
  readonly subjectConsent: boolean;
  readonly consentPurposes: readonly ("payment" | "contact")[];
  /** `YYYY-MM-DD`, the day the consents were given (a day in Vietnam). */
  readonly consentDate: string;
}

/** Spaces, dots and dashes people type inside a phone or account number to read it back. */
const digitsOf = (typed: string) => typed.replace(/[\s.-]/g, "");

const BANK_FIELDS = [
  ["bankName", "bank"],
  ["accountNumber", "accountNumber"],
  ["accountHolder", "holder"],
] as const;

/**
 * What the form says before sending about the optional bank account, as issues at the paths the API uses:
 * a group partly filled names each field left empty, and an account number must be 6 to 20 digits. The
 * API checks the same again; this only spares the member a round trip for a half-filled group.
 */
export const bankAccountIssues = (f: BeneficiaryFormState): { path: string; code: string }[] => {
  const filled = BANK_FIELDS.filter(([field]) => f[field].trim() !== "");
  if (filled.length === 0) return [];
  const issues = BANK_FIELDS.filter(([field]) => f[field].trim() === "").map(([, key]) => ({
    path: `personalData.bankAccount.${key}`,
    code: "bank_account_incomplete",
  }));
  // "." is typed, so not missing, yet holds no digit: it is a wrong number, not an empty field.
  if (f.accountNumber.trim() !== "" && !/^\d{6,20}$/.test(digitsOf(f.accountNumber)))
    issues.push({ path: "personalData.bankAccount.accountNumber", code: "account_number_digits" });
  return issues;
};

const optional = <K extends string>(key: K, value: string) => {
  const trimmed = value.trim();
  return trimmed === "" ? {} : ({ [key]: trimmed } as Record<K, string>);
};

/**
 * The body of `POST /v1/beneficiaries` from what was typed, for the API to validate (one set of rules) and
 * the form to word each issue beside its field. `beneficiaryId` is made once per form, so a retry registers
 * the person once. Consents are dated at the start of their day in Vietnam, which is never after the
 * registration the server dates on arrival. Empty optional fields are left out, not sent blank.
 */
export const beneficiaryBodyOf = (beneficiaryId: string, f: BeneficiaryFormState) => {
  const purposes = ["support-administration", ...f.consentPurposes];
  const consent = { givenAt: `${f.consentDate}T00:00:00+07:00`, purposes };
  const bank = BANK_FIELDS.some(([field]) => f[field].trim() !== "");
  const guardian =
    f.guardianName.trim() !== "" || f.guardianRelationship !== "" || f.guardianPhone.trim() !== "";
  return {
    beneficiaryId,
    kind: f.kind,
    unitCode: f.unitCode.trim(),
    school: { name: f.schoolName },
    ...(f.gradeBand === "" ? {} : { gradeBand: f.gradeBand }),
    circumstances: [...f.circumstances],
    personalData: {
      fullName: f.fullName,
      ...(f.dateOfBirth === "" ? {} : { dateOfBirth: f.dateOfBirth }),
      ...(f.gender === "" ? {} : { gender: f.gender }),
      ...optional("ethnicity", f.ethnicity),
      ...optional("address", f.address),
      ...optional("phone", f.phone.replace(/[\s.]/g, "")),
      ...(guardian
        ? {
            guardian: {
              fullName: f.guardianName,
              ...(f.guardianRelationship === "" ? {} : { relationship: f.guardianRelationship }),
              ...optional("phone", f.guardianPhone.replace(/[\s.]/g, "")),
            },
          }
        : {}),
      ...(bank
        ? {
            bankAccount: {
              bank: f.bankName.trim(),
              accountNumber: digitsOf(f.accountNumber),
              holder: f.accountHolder.trim(),
            },
          }
        : {}),
    },
    consent: {
      ...(f.guardianConsent ? { guardian: consent } : {}),
      ...(f.subjectConsent ? { subject: consent } : {}),
    },
  };
};

/** Which field an issue's path belongs to (an input's id); undefined: said above the form. */
export const beneficiaryFieldOf = (path: string): string | undefined => {
  const exact: Record<string, string> = {
    kind: "kind",
    unitCode: "unitCode",
    school: "schoolName",
    "school.name": "schoolName",
    gradeBand: "gradeBand",
    circumstances: "circumstances",
    "personalData.fullName": "fullName",
    "personalData.dateOfBirth": "dateOfBirth",
    "personalData.gender": "gender",
    "personalData.ethnicity": "ethnicity",
    "personalData.address": "address",
    "personalData.phone": "phone",
    "personalData.guardian": "guardianName",
    "personalData.guardian.fullName": "guardianName",
    "personalData.guardian.relationship": "guardianRelationship",
    "personalData.guardian.phone": "guardianPhone",
    "personalData.bankAccount": "bankName",
    "personalData.bankAccount.bank": "bankName",
    "personalData.bankAccount.accountNumber": "accountNumber",
    "personalData.bankAccount.holder": "accountHolder",
  };
  if (exact[path] !== undefined) return exact[path];
  if (path.startsWith("circumstances.")) return "circumstances";
  // A consent's date and purposes are the form's one date and one set of purposes; the rest, who consented.
  if (/^consent\.(guardian|subject)\.givenAt$/.test(path)) return "consentDate";
  if (/^consent\.(guardian|subject)\.purposes/.test(path)) return "consentPurposes";
  if (path.startsWith("consent")) return "consentGiven";
  return undefined;
};
