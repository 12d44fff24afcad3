import { z } from "zod";
import { BeneficiaryId } from "./beneficiary.ts";
import { OffsetDateTime } from "./date-time.ts";
import { CampaignId, staffEnvelopeFields, UnitCode, Vnd } from "./envelope.ts";
import { FundRef } from "./payment.ts";
import { text } from "./text.ts";

/** Why support was given: the reasons the association reports on. */
export const SupportReason = z.enum([
  "hardship",
  "high-achievement",
  "overcoming-hardship",
  "scholarship",
  "study-equipment",
  "other",
]);
export type SupportReason = z.infer<typeof SupportReason>;

/** Collective recipients: a school, a class, a community learning centre (a toilet block, bookshelves). */
export const CollectiveKind = z.enum(["school", "class", "community-learning-centre"]);

/**
 * Who received the support: a registered beneficiary (by id only, with the kind they were registered as, so
 * projections count by kind without personal data) or a collective recipient.
 */
export const Recipient = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("beneficiary"),
    beneficiaryId: BeneficiaryId,
    beneficiaryKind: z.enum(["student", "teacher"]),
  }),
  z.strictObject({ type: z.literal("collective"), kind: CollectiveKind, name: text(200, "refused") }),
]);
export type Recipient = z.infer<typeof Recipient>;

/** What paid for it, as the staff say: a campaign's proceeds, or the association's fund. */
export const FundedByRequest = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("campaign"), campaignId: CampaignId }),
  z.strictObject({ source: z.literal("fund") }),
]);

/**
 * What paid for it, as the event keeps it. `fund` is filled in by the server when the grant is recorded
 * (the campaign's fund and purpose, or the grant unit's general fund), never by the client, so the fund
 * ledger folds the disbursement without looking anything up; grants recorded before it existed lack it
 * and count as disbursed from their unit's general fund.
 */
export const FundedBy = z.discriminatedUnion("source", [
  z.strictObject({ source: z.literal("campaign"), campaignId: CampaignId, fund: FundRef.optional() }),
  z.strictObject({ source: z.literal("fund"), fund: FundRef.optional() }),
]);

/** Goods given, valued in VND (in-kind). */
export const Goods = z.strictObject({ description: text(500, "refused"), valuationVnd: Vnd });

/**
 * What was given: money and/or goods. At least one is a rule across two fields, so the server answers a
 * grant of neither with 422 `support_amount_required`, not the schema.
 */
export const SupportAmounts = {
  reason: SupportReason,
  moneyVnd: Vnd.optional(),
  goods: Goods.optional(),
};

/** A grant as the staff describe it: who, why, what, paid by what, when and where. */
export const SupportGrant = z.strictObject({
  recipient: Recipient,
  ...SupportAmounts,
  fundedBy: FundedByRequest,
  /** The day of the grant; the unit code must be valid on it. */
  occurredAt: OffsetDateTime,
  unitCode: UnitCode,
});
export type SupportGrant = z.infer<typeof SupportGrant>;

/**
 * The body of `POST /v1/support`: one grant is one lượt (support instance).
 * @example see events/examples/support-granted.json
 */
export const SupportGrantRequest = z.strictObject({
  /** Set by the client for safe retries: the same id and body records one lượt. */
  supportId: z.uuid({ message: "must be a UUID" }).optional(),
  ...SupportGrant.shape,
});
export type SupportGrantRequest = z.infer<typeof SupportGrantRequest>;

/** The facts of a grant as an event keeps them (amounts flattened to the VND counters they move). */
export const GrantFacts = z.strictObject({
  recipient: Recipient,
  reason: SupportReason,
  moneyVnd: z.number().int().nonnegative(),
  inKindVnd: z.number().int().nonnegative(),
  goodsDescription: z.string().optional(),
  fundedBy: FundedBy,
  occurredAt: OffsetDateTime,
  unitCode: UnitCode,
});
export type GrantFacts = z.infer<typeof GrantFacts>;

/** One lượt of support was granted. */
export const SupportGranted = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("SupportGranted"),
  schemaVersion: z.literal(1),
  supportId: z.uuid(),
  data: GrantFacts.omit({ occurredAt: true, unitCode: true }),
});
export type SupportGranted = z.infer<typeof SupportGranted>;

/**
 * The body of `POST /v1/support/{supportId}/corrections`: what the grant should have been (reason, money,
 * goods). A compensating event: the server reads the grant as it stands from the ledger and records both,
 * so that projections move counters by the difference; nothing is edited in place.
 * @example see events/examples/support-corrected.json
 */
export const SupportCorrectionRequest = z.strictObject({
  /** Set by the client for safe retries: the same id and body records one correction. */
  correctionId: z.uuid({ message: "must be a UUID" }).optional(),
  corrected: z.strictObject(SupportAmounts),
});
export type SupportCorrectionRequest = z.infer<typeof SupportCorrectionRequest>;

/** A grant's reason or amounts were corrected; the lượt stays one lượt. */
export const SupportCorrected = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("SupportCorrected"),
  schemaVersion: z.literal(1),
  supportId: z.uuid(),
  data: z.strictObject({
    original: GrantFacts,
    corrected: GrantFacts.pick({ reason: true, moneyVnd: true, inKindVnd: true, goodsDescription: true }),
  }),
});
export type SupportCorrected = z.infer<typeof SupportCorrected>;

export const RevocationReason = z.enum(["recorded-in-error", "duplicate", "returned"]);

/**
 * The body of `POST /v1/support/{supportId}/revocations`: why the grant is withdrawn. A grant is revoked
 * at most once, so the supportId alone makes a retry safe; the grant's facts come from the ledger.
 * @example see events/examples/support-revoked.json
 */
export const SupportRevocationRequest = z.strictObject({ reason: RevocationReason });
export type SupportRevocationRequest = z.infer<typeof SupportRevocationRequest>;

/** A grant is withdrawn: its lượt and amounts leave the figures; the person stays counted (see docs). */
export const SupportRevoked = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("SupportRevoked"),
  schemaVersion: z.literal(1),
  supportId: z.uuid(),
  data: z.strictObject({ original: GrantFacts, reason: RevocationReason }),
});
export type SupportRevoked = z.infer<typeof SupportRevoked>;
