import { z } from "zod";
import { CoveredUnit } from "./campaign.ts";
import { OffsetDateTime } from "./date-time.ts";
import { CampaignId, envelopeFields, staffEnvelopeFields, UnitCode, Vnd } from "./envelope.ts";
import { text, WELL_FORMED } from "./text.ts";

/**
 * Money that arrives (docs/fund-ledger.md). A pledge is a promise; these events record what the
 * association actually received, from a bank-transfer notifier or from staff counting cash and goods,
 * what it could not attribute yet, and what it gave back. Disbursements are `SupportGranted` paid from a
 * fund (events/support.ts, `fundedBy.fund`).
 */

/**
 * Where money belongs: the fund of an association (`VN` for the central association, a province or a
 * commune) and a purpose within it. `general` is unrestricted; `campaign:<id>` is the restricted purpose
 * of that campaign, which may be spent on that purpose only (Decree 03/2026/NĐ-CP).
 */
export const FundPurpose = z
  .string()
  .regex(
    /^(?:general|campaign:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?)$/,
    "must be general or campaign:<campaignId>",
  );
export type FundPurpose = z.infer<typeof FundPurpose>;

export const FundRef = z.strictObject({ unitCode: CoveredUnit, purpose: FundPurpose });
export type FundRef = z.infer<typeof FundRef>;

/** A donation code as the pledge door issues it (packages/domain/donation-code.ts). */
export const DonationCode = z.string().regex(/^KH[0-9A-HJKMNP-TV-Z]{9}$/, "must be a donation code");

/** A transfer as the bank reported it, kept as facts (the note is the donor's text, never a beneficiary's). */
export const TransferFacts = z.strictObject({
  /** The notifier's own id for the transaction; with `gateway`, what makes a retried notification one. */
  notifierId: z.string().min(1).max(64),
  gateway: z.string().min(1).max(64),
  accountNumber: z.string().min(1).max(32),
  amountVnd: Vnd,
  /** The transfer's note as the bank passed it on. */
  content: z.string().max(1000),
  referenceCode: z.string().max(128).optional(),
  /** When the bank booked it, with the offset (notifiers send Vietnam's local time). */
  transactionAt: OffsetDateTime,
});
export type TransferFacts = z.infer<typeof TransferFacts>;

/** A campaign money was attributed to, with what the fold needs and cannot look up: its fund and purpose. */
export const CampaignAttribution = z.strictObject({
  campaignId: CampaignId,
  fund: FundRef,
});

/** How a transfer was attributed: to a pledge (by its donation code), to a campaign, or not yet. */
export const TransferMatch = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("pledge"),
    pledgeEventId: z.uuid(),
    donationCode: DonationCode,
    ...CampaignAttribution.shape,
    /** The pledged amount, and how this transfer compares with what was still owed on it. */
    pledgedVnd: z.number().int().nonnegative(),
    outcome: z.enum(["exact", "partial", "over"]),
  }),
  z.strictObject({ kind: z.literal("campaign"), ...CampaignAttribution.shape }),
  z.strictObject({
    kind: z.literal("unmatched"),
    reason: z.enum(["no-code", "unknown-code"]),
    /** The fund whose account received it, when the account is known; else the central association. */
    fund: FundRef,
  }),
]);
export type TransferMatch = z.infer<typeof TransferMatch>;

/** Envelope of money events: the fund's unit (`VN` allowed), not necessarily a commune. */
const moneyEnvelope = { ...envelopeFields, unitCode: CoveredUnit };

/**
 * A bank-transfer notifier reported money IN to one of the association's accounts. eventId derives from
 * gateway and notifier id, so the notifier's retries are one event. An unmatched transfer waits in the
 * review list as unattributed money of the account's fund.
 */
export const BankTransferReceived = z.strictObject({
  ...moneyEnvelope,
  type: z.literal("BankTransferReceived"),
  schemaVersion: z.literal(1),
  data: z.strictObject({ transfer: TransferFacts, match: TransferMatch }),
});
export type BankTransferReceived = z.infer<typeof BankTransferReceived>;

/** A notifier reported money OUT of an account: recorded apart, never as income. */
export const BankTransferSent = z.strictObject({
  ...moneyEnvelope,
  type: z.literal("BankTransferSent"),
  schemaVersion: z.literal(1),
  data: z.strictObject({ transfer: TransferFacts, fund: FundRef }),
});
export type BankTransferSent = z.infer<typeof BankTransferSent>;

/**
 * The body of `POST /v1/payments/{transferId}/match`: staff attribute an unmatched transfer to a pledge
 * (by its donation code) or to a campaign, or mark it as not a donation.
 */
export const TransferResolutionRequest = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("pledge"),
    // As staff typed it (the server finds the code in it as in a note); Unicode text, as every body's.
    donationCode: z
      .string()
      .min(1)
      .max(64)
      .regex(WELL_FORMED, "must be valid Unicode text: it holds an unpaired surrogate"),
  }),
  z.strictObject({ kind: z.literal("campaign"), campaignId: CampaignId }),
  z.strictObject({ kind: z.literal("not-a-donation"), note: text(500, "refused") }),
]);
export type TransferResolutionRequest = z.infer<typeof TransferResolutionRequest>;

/** What a transfer under review was and where it sat: the fold moves it out of there. */
const UnderReview = z.strictObject({
  transferEventId: z.uuid(),
  amountVnd: Vnd,
  transactionAt: OffsetDateTime,
  fund: FundRef,
});

/** Staff attributed an unmatched transfer: unattributed money becomes received money of a campaign. */
export const TransferMatched = z.strictObject({
  ...staffEnvelopeFields,
  unitCode: CoveredUnit,
  type: z.literal("TransferMatched"),
  schemaVersion: z.literal(1),
  data: z.strictObject({
    ...UnderReview.shape,
    match: z.discriminatedUnion("kind", [TransferMatch.options[0], TransferMatch.options[1]]),
  }),
});
export type TransferMatched = z.infer<typeof TransferMatched>;

/** Staff marked an unmatched transfer as not a donation (a member's fee, a mistaken transfer). */
export const TransferDismissed = z.strictObject({
  ...staffEnvelopeFields,
  unitCode: CoveredUnit,
  type: z.literal("TransferDismissed"),
  schemaVersion: z.literal(1),
  data: z.strictObject({ ...UnderReview.shape, note: text(500, "refused") }),
});
export type TransferDismissed = z.infer<typeof TransferDismissed>;

/** Where cash came from: a school piggy bank opened, a collection at an event, or anything else. */
export const CashOrigin = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("piggy-bank"), school: text(200, "refused"), class: text(50, "refused") }),
  z.strictObject({ kind: z.literal("collection"), occasion: text(200, "refused") }),
  z.strictObject({ kind: z.literal("other"), description: text(500, "refused") }),
]);

/** What a staff receipt is for: a campaign (restricted or not), or the fund's general purpose. */
export const ReceiptFor = z.strictObject({ campaignId: CampaignId.optional() });

/**
 * The body of `POST /v1/receipts/cash`: cash counted by staff. `receiptId` makes a retry safe.
 * @example see events/examples/cash-received.json
 */
export const CashReceiptRequest = z.strictObject({
  receiptId: z.uuid({ message: "must be a UUID" }).optional(),
  unitCode: UnitCode,
  occurredAt: OffsetDateTime,
  amountVnd: Vnd,
  origin: CashOrigin,
  ...ReceiptFor.shape,
});
export type CashReceiptRequest = z.infer<typeof CashReceiptRequest>;

/**
 * The body of `POST /v1/receipts/goods`: goods received, with their value and who valued them.
 * @example see events/examples/goods-received.json
 */
export const GoodsReceiptRequest = z.strictObject({
  receiptId: z.uuid({ message: "must be a UUID" }).optional(),
  unitCode: UnitCode,
  occurredAt: OffsetDateTime,
  description: text(500, "refused"),
  valuationVnd: Vnd,
  /** Who valued them (a committee, an appraiser's role): never a beneficiary. */
  valuedBy: text(200, "refused"),
  donorName: text(200, "refused").optional(),
  ...ReceiptFor.shape,
});
export type GoodsReceiptRequest = z.infer<typeof GoodsReceiptRequest>;

/** A receipt number staff write on the paper receipt (derived from the event, see donation-code.ts). */
export const ReceiptNumber = z.string().regex(/^PT[0-9A-HJKMNP-TV-Z]{9}$/, "must be a receipt number");

/** Staff counted cash into a fund. */
export const CashReceived = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("CashReceived"),
  schemaVersion: z.literal(1),
  receiptNumber: ReceiptNumber,
  data: z.strictObject({
    amountVnd: Vnd,
    origin: CashOrigin,
    campaignId: CampaignId.optional(),
    fund: FundRef,
  }),
});
export type CashReceived = z.infer<typeof CashReceived>;

/** Staff received goods into a fund, valued in VND. */
export const GoodsReceived = z.strictObject({
  ...staffEnvelopeFields,
  type: z.literal("GoodsReceived"),
  schemaVersion: z.literal(1),
  receiptNumber: ReceiptNumber,
  data: z.strictObject({
    description: text(500, "refused"),
    valuationVnd: Vnd,
    valuedBy: text(200, "refused"),
    donorName: text(200, "refused").optional(),
    campaignId: CampaignId.optional(),
    fund: FundRef,
  }),
});
export type GoodsReceived = z.infer<typeof GoodsReceived>;

/**
 * The body of `POST /v1/receipts/{eventId}/reversals`: money or goods given back (a refund to the donor)
 * or a bank's reversal. The server reads what is reversed from the ledger.
 */
export const IncomeReversalRequest = z.strictObject({
  reason: z.enum(["refund", "bank-reversal", "recorded-in-error"]),
  note: text(500, "allowed").optional(),
});
export type IncomeReversalRequest = z.infer<typeof IncomeReversalRequest>;

/**
 * A compensating event: income recorded earlier (a matched transfer, cash or goods) leaves the fund and
 * the campaign. It carries what it takes back, so the fold needs nothing else.
 */
export const IncomeReversed = z.strictObject({
  ...staffEnvelopeFields,
  unitCode: CoveredUnit,
  type: z.literal("IncomeReversed"),
  schemaVersion: z.literal(1),
  data: z.strictObject({
    reversedEventId: z.uuid(),
    reason: IncomeReversalRequest.shape.reason,
    note: text(500, "allowed").optional(),
    moneyVnd: z.number().int().nonnegative(),
    inKindVnd: z.number().int().nonnegative(),
    /** When the reversed income counted, so the fold takes it from the same year. */
    receivedAt: OffsetDateTime,
    campaignId: CampaignId.optional(),
    fund: FundRef,
  }),
});
export type IncomeReversed = z.infer<typeof IncomeReversed>;
