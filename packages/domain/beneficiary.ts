import { createHash } from "node:crypto";
import type { z } from "zod";
import type {
  AccessPurpose,
  BeneficiaryErased,
  BeneficiaryRegistered,
  BeneficiaryRegistration,
  ConsentPurpose,
  Consents,
  ErasureReason,
  PersonalData,
  PersonalDataAccessed,
} from "#events/beneficiary.ts";
import { type Clock, canonicalJson } from "./donation.ts";
import { ConsentRequired, type Issue } from "./errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso, vietnamDayOf } from "./time.ts";

/** Below this age a guardian consents for the child (Law 91/2025/QH15). */
export const ADULT_AGE = 18;
/** From this age the child's own consent is needed too. */
export const OWN_CONSENT_AGE = 7;

/** Whole years from `dateOfBirth` to `day` (both `YYYY-MM-DD`). */
export const ageOn = (dateOfBirth: string, day: string): number => {
  const [by, bm, bd] = dateOfBirth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

/**
 * What the consents given at registration lack, as issues with paths: a minor needs a guardian's
 * consent (and a guardian on record), anyone from age 7 their own; each for the purpose of this
 * registration, given on or before it and not before birth.
 */
export const consentIssues = (body: BeneficiaryRegistration, registeredAt: string): Issue[] => {
  const issues: Issue[] = [];
  const day = vietnamDayOf(registeredAt);
  const { dateOfBirth } = body.personalData;
  if (dateOfBirth > day) {
    return [{ path: "personalData.dateOfBirth", message: "must not be after the registration date" }];
  }
  const age = ageOn(dateOfBirth, day);
  const needs: ["guardian" | "subject", string][] = [];
  if (age < ADULT_AGE) needs.push(["guardian", `is required for a person under ${ADULT_AGE}`]);
  if (age >= OWN_CONSENT_AGE) needs.push(["subject", `is required from age ${OWN_CONSENT_AGE}`]);
  if (age < ADULT_AGE && body.personalData.guardian === undefined) {
    issues.push({ path: "personalData.guardian", message: `is required for a person under ${ADULT_AGE}` });
  }
  for (const [who, message] of needs) {
    const consent = body.consent[who];
    if (consent === undefined) {
      issues.push({ path: `consent.${who}`, message });
      continue;
    }
    if (!consent.purposes.includes("support-administration")) {
      issues.push({ path: `consent.${who}.purposes`, message: "must include support-administration" });
    }
    const given = Date.parse(consent.givenAt);
    if (given > Date.parse(registeredAt) || vietnamDayOf(consent.givenAt) < dateOfBirth) {
      issues.push({ path: `consent.${who}.givenAt`, message: "must be between birth and the registration" });
    }
  }
  return issues;
};

/** A UUID (version 8, RFC 9562) derived from a beneficiary and what happened to them, so retries collide. */
export const derivedEventId = (beneficiaryId: string, what: string): string => {
  const h = createHash("sha256").update(`${beneficiaryId}|${what}`).digest("hex");
  const variant = ((Number.parseInt(h[16] ?? "0", 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const hashOf = (value: unknown): string => createHash("sha256").update(canonicalJson(value)).digest("hex");

export interface Registration {
  readonly event: BeneficiaryRegistered;
  /** Goes to the vault only. */
  readonly personalData: PersonalData;
}

/**
 * Splits a registration into the event (coded facts, no personal data) and the personal data. The
 * event's id derives from the beneficiary's, so a retry is the same event; its content hash covers what
 * was submitted except the personal data, which the ledger must never let anyone guess at.
 */
export const registrationFromRequest = (
  body: BeneficiaryRegistration,
  principal: Principal,
  clock: Clock,
): Registration => {
  const recordedAt = toVietnamIso(clock.now());
  const occurredAt = body.occurredAt ?? recordedAt;
  const issues = consentIssues(body, occurredAt);
  if (issues.length > 0) throw new ConsentRequired("the consents do not cover this registration", issues);
  const beneficiaryId = body.beneficiaryId ?? clock.newId();
  const { beneficiaryId: _id, personalData, ...content } = body;
  const data = {
    kind: body.kind,
    school: body.school,
    gradeBand: body.gradeBand,
    circumstances: body.circumstances,
    consent: body.consent,
  };
  return {
    event: {
      eventId: derivedEventId(beneficiaryId, "registered"),
      type: "BeneficiaryRegistered",
      schemaVersion: 1,
      occurredAt,
      recordedAt,
      unitCode: body.unitCode,
      source: { channel: "staff", contentHash: hashOf(content) },
      actor: actorOf(principal),
      beneficiaryId,
      data,
    },
    personalData,
  };
};

/** The erasure of a person's data; one per person, so its id derives from theirs. */
export const erasureEvent = (
  beneficiaryId: string,
  unitCode: string,
  reason: z.infer<typeof ErasureReason>,
  principal: Principal,
  at: Date,
): BeneficiaryErased => {
  const recordedAt = toVietnamIso(at);
  return {
    eventId: derivedEventId(beneficiaryId, "erased"),
    type: "BeneficiaryErased",
    schemaVersion: 1,
    occurredAt: recordedAt,
    recordedAt,
    unitCode,
    source: { channel: "staff", contentHash: hashOf({ beneficiaryId, reason }) },
    actor: actorOf(principal),
    beneficiaryId,
    data: { reason },
  };
};

/** The access record of one read of a person's data: every read is its own event. */
export const accessEvent = (
  beneficiaryId: string,
  unitCode: string,
  purpose: z.infer<typeof AccessPurpose>,
  principal: Principal,
  clock: Clock,
): PersonalDataAccessed => {
  const recordedAt = toVietnamIso(clock.now());
  const eventId = clock.newId();
  return {
    eventId,
    type: "PersonalDataAccessed",
    schemaVersion: 1,
    occurredAt: recordedAt,
    recordedAt,
    unitCode,
    source: { channel: "staff", contentHash: hashOf({ eventId, beneficiaryId, purpose }) },
    actor: actorOf(principal),
    beneficiaryId,
    data: { purpose },
  };
};

/**
 * What the consents given allow: the purposes every one of them names (a child's data needs both the
 * guardian's and the child's consent, so a purpose only one of them gave is not allowed).
 */
export const consentedPurposes = (consent: z.infer<typeof Consents>): z.infer<typeof ConsentPurpose>[] => {
  const given = [consent.guardian, consent.subject].filter((c) => c !== undefined);
  const [first, ...others] = given;
  if (first === undefined) return [];
  return first.purposes.filter((p) => others.every((o) => o.purposes.includes(p)));
};

/**
 * Whether reading a person's data for `purpose` is covered by what they consented to. A data subject's
 * own request needs no consent: answering it is their right.
 */
export const purposeAllowed = (
  purpose: z.infer<typeof AccessPurpose>,
  consented: readonly string[],
): boolean => {
  switch (purpose) {
    case "data-subject-request":
      return true;
    case "case-review":
    case "correction":
      return consented.includes("support-administration");
    case "support-payment":
      return consented.includes("payment");
    default: {
      const unhandled: never = purpose;
      return unhandled;
    }
  }
};
