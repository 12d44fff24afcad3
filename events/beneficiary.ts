import { z } from "zod";
import { OffsetDateTime } from "./date-time.ts";
import { staffEnvelopeFields } from "./envelope.ts";
import { text as sharedText } from "./text.ts";

/**
 * A beneficiary is known to events only by a random UUID, never derived from the person. Everything that
 * names or describes the person is {@link PersonalData}, which goes to the vault and nowhere else.
 */
export const BeneficiaryId = z.uuid({ message: "must be a UUID" });

/** A commune or ward code: beneficiaries are registered where they live. */
export const CommuneCode = z.string().regex(/^\d{5}$/, "must be a 5-digit commune code");

/**
 * Text a person writes: the rules pledges follow (characters counted as code points on the text as sent,
 * not blank, valid Unicode, trimmed after checking), so the published schema decides as the server does.
 */
const text = (max: number) => sharedText(max, "refused");

/** Coded circumstances: what makes a person eligible, without describing them in words. */
export const Circumstance = z.enum([
  "poor-household",
  "near-poor-household",
  "orphan",
  "disability",
  "ethnic-minority-hard-to-reach",
  "other",
]);

export const GradeBand = z.enum([
  "preschool",
  "primary",
  "lower-secondary",
  "upper-secondary",
  "vocational",
  "higher-education",
  "teacher",
]);

/** What a consent allows; personal data is used for nothing else. */
export const ConsentPurpose = z.enum(["support-administration", "payment", "contact"]);

const Consent = z.strictObject({
  givenAt: OffsetDateTime,
  purposes: z.array(ConsentPurpose).min(1, "must name at least one purpose"),
});

/** The consents given at registration: a guardian's for a minor, and the person's own from age 7. */
export const Consents = z.strictObject({ guardian: Consent.optional(), subject: Consent.optional() });

/** Everything that names or describes the person: sensitive under Law 91/2025/QH15, kept encrypted in the vault. */
export const PersonalData = z.strictObject({
  fullName: text(200),
  dateOfBirth: z.iso.date({ error: "must be a date, e.g. 2014-03-21" }),
  gender: z.enum(["female", "male", "other"]).optional(),
  ethnicity: text(100).optional(),
  address: text(500).optional(),
  phone: z
    .string()
    .regex(/^\+?\d{9,15}$/, "must be a phone number of 9-15 digits")
    .optional(),
  guardian: z
    .strictObject({
      fullName: text(200),
      relationship: z.enum([
        "mother",
        "father",
        "grandparent",
        "sibling",
        "other-relative",
        "legal-guardian",
      ]),
      phone: z
        .string()
        .regex(/^\+?\d{9,15}$/, "must be a phone number of 9-15 digits")
        .optional(),
    })
    .optional(),
  bankAccount: z
    .strictObject({
      bank: text(100),
      accountNumber: z.string().regex(/^\d{6,20}$/, "must be 6-20 digits"),
      holder: text(200),
    })
    .optional(),
  /** Family circumstances in words, for the case worker; never leaves the vault. */
  circumstancesNote: text(2000).optional(),
});
export type PersonalData = z.infer<typeof PersonalData>;

/**
 * The body of `POST /v1/beneficiaries`.
 * @example see events/examples/beneficiary-registration.json
 */
export const BeneficiaryRegistration = z.strictObject({
  /** Set by the client for safe retries: the same id and body registers once. */
  beneficiaryId: BeneficiaryId.optional(),
  kind: z.enum(["student", "teacher"]),
  unitCode: CommuneCode,
  /** When the person was registered; defaults to when the request arrived. */
  occurredAt: OffsetDateTime.optional(),
  school: z.strictObject({ name: text(200) }),
  gradeBand: GradeBand,
  circumstances: z
    .array(Circumstance)
    .min(1, "must name at least one circumstance")
    .refine((list) => new Set(list).size === list.length, "must not repeat a circumstance")
    // The published schema says so too, so that a form's validator refuses a repeat as the server does.
    .meta({ uniqueItems: true }),
  personalData: PersonalData,
  consent: Consents,
});
export type BeneficiaryRegistration = z.infer<typeof BeneficiaryRegistration>;

/** A beneficiary was registered by staff. No personal data: only the coded facts the projections need. */
export const BeneficiaryRegistered = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("BeneficiaryRegistered"),
  schemaVersion: z.literal(1),
  beneficiaryId: BeneficiaryId,
  data: z.strictObject({
    kind: z.enum(["student", "teacher"]),
    school: z.strictObject({ name: z.string() }),
    gradeBand: GradeBand,
    circumstances: z.array(Circumstance),
    /** When each consent was given and for what; who gave it is in the vault. */
    consent: Consents,
  }),
});
export type BeneficiaryRegistered = z.infer<typeof BeneficiaryRegistered>;

/** Why personal data was erased (a code: free text could itself hold personal data). */
export const ErasureReason = z.enum([
  "data-subject-request",
  "consent-withdrawn",
  "purpose-fulfilled",
  "unlawful-processing",
]);

/** The body of `DELETE /v1/beneficiaries/{id}/personal-data`. */
export const ErasureRequest = z.strictObject({ reason: ErasureReason });

/** A person's data key and vault item were destroyed. Counts and amounts that include them stay. */
export const BeneficiaryErased = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("BeneficiaryErased"),
  schemaVersion: z.literal(1),
  beneficiaryId: BeneficiaryId,
  data: z.strictObject({ reason: ErasureReason }),
});
export type BeneficiaryErased = z.infer<typeof BeneficiaryErased>;

/** Why staff read a person's data, asked for on every read. */
export const AccessPurpose = z.enum(["case-review", "support-payment", "data-subject-request", "correction"]);

/** Staff read a person's data: who (actor), when (recordedAt), whose (beneficiaryId), why (purpose). */
export const PersonalDataAccessed = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("PersonalDataAccessed"),
  schemaVersion: z.literal(1),
  beneficiaryId: BeneficiaryId,
  data: z.strictObject({ purpose: AccessPurpose }),
});
export type PersonalDataAccessed = z.infer<typeof PersonalDataAccessed>;
