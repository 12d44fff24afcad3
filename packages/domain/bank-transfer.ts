import { createHash } from "node:crypto";
import type { BankTransferNotification } from "#events/bank-transfer.ts";
import type { CampaignDefinition } from "#events/campaign.ts";
import type {
  BankTransferReceived,
  BankTransferSent,
  FundRef,
  TransferDismissed,
  TransferFacts,
  TransferMatch,
  TransferMatched,
  TransferResolutionRequest,
} from "#events/payment.ts";
import { derivedEventId } from "./beneficiary.ts";
import { canonicalJson } from "./donation.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso } from "./time.ts";

/** Where money goes when the campaign is not known: the central association's general purpose. */
export const CENTRAL_FUND: FundRef = { unitCode: "VN", purpose: "general" };

/**
 * The fund a campaign's money belongs to: its `fundUnit`, else its single covered unit, else the central
 * association; the campaign's own purpose when it is restricted, else `general`.
 */
export const fundOfCampaign = (definition: CampaignDefinition): FundRef => ({
  unitCode: definition.fundUnit ?? (definition.units.length === 1 ? (definition.units[0] ?? "VN") : "VN"),
  purpose: definition.restrictedPurpose === undefined ? "general" : `campaign:${definition.id}`,
});

/** What the pledge door recorded under a donation code (packages/storage/payments.ts). */
export interface PledgeOfCode {
  readonly eventId: string;
  readonly campaignId: string;
  readonly unitCode: string;
  /** The pledged money; 0 for a pledge of goods. */
  readonly amountVnd: number;
}

/**
 * A transfer against what was still owed on its pledge (the pledge less the transfers matched to it
 * before): all of it, less, or more. Goods pledged owe no money, so any money for them is more.
 */
export const outcomeOf = (amountVnd: number, owedVnd: number): "exact" | "partial" | "over" =>
  amountVnd === owedVnd ? "exact" : amountVnd < owedVnd ? "partial" : "over";

/**
 * A transfer matched to a pledge through its code, with the fund of the pledge's campaign, after
 * `receivedBeforeVnd` was matched to the pledge already.
 */
export const pledgeMatch = (
  amountVnd: number,
  donationCode: string,
  pledge: PledgeOfCode,
  campaign: CampaignDefinition,
  receivedBeforeVnd: number,
): Extract<TransferMatch, { kind: "pledge" }> => ({
  kind: "pledge",
  pledgeEventId: pledge.eventId,
  donationCode,
  campaignId: pledge.campaignId,
  fund: fundOfCampaign(campaign),
  pledgedVnd: pledge.amountVnd,
  outcome: outcomeOf(amountVnd, Math.max(0, pledge.amountVnd - receivedBeforeVnd)),
});

/**
 * One eventId per transfer the notifier reports, derived from its gateway and its own id: the notifier's
 * retries (same gateway, same id) are one event, which the ledger counts once.
 */
export const transferEventId = (gateway: string, notifierId: string): string =>
  derivedEventId(`bank-transfer:${gateway}`, notifierId);

/**
 * The instant a notifier's `transactionDate` names: `YYYY-MM-DD HH:mm:ss` is Vietnam's local time (the
 * banks' clock), so it gains `+07:00`; a date-time with an offset is kept as it is.
 */
export const transactionInstant = (transactionDate: string): string => {
  const iso = transactionDate.replace(" ", "T");
  return /(?:Z|[+-]\d{2}:\d{2})$/.test(iso) ? iso : `${iso}+07:00`;
};

/** The facts of a notification worth keeping, in the contract's terms; the notifier's extras are dropped. */
export const transferFactsOf = (n: BankTransferNotification): TransferFacts => ({
  notifierId: String(n.id),
  gateway: n.gateway,
  accountNumber: n.accountNumber,
  amountVnd: n.transferAmount,
  content: n.content,
  ...(n.referenceCode ? { referenceCode: n.referenceCode } : {}),
  transactionAt: transactionInstant(n.transactionDate),
});

const hashOf = (value: unknown): string => createHash("sha256").update(canonicalJson(value)).digest("hex");

const envelope = (facts: TransferFacts, fund: FundRef, now: Date) => ({
  eventId: transferEventId(facts.gateway, facts.notifierId),
  schemaVersion: 1 as const,
  occurredAt: facts.transactionAt,
  recordedAt: toVietnamIso(now),
  unitCode: fund.unitCode,
  // The facts alone: a retried notification hashes the same whatever the match found then.
  source: { channel: "payment-notifier" as const, contentHash: hashOf(facts) },
});

/** Money in, matched or not: the event of an incoming notification. */
export const bankTransferReceived = (
  facts: TransferFacts,
  match: TransferMatch,
  now: Date,
): BankTransferReceived => ({
  ...envelope(facts, match.fund, now),
  type: "BankTransferReceived",
  data: { transfer: facts, match },
});

/** Money out: recorded apart under the fund of the account, never as income. */
export const bankTransferSent = (facts: TransferFacts, fund: FundRef, now: Date): BankTransferSent => ({
  ...envelope(facts, fund, now),
  type: "BankTransferSent",
  data: { transfer: facts, fund },
});

/** A transfer waiting in the review list, as the fold must see it moved out of there. */
export interface TransferUnderReview {
  readonly transferEventId: string;
  readonly amountVnd: number;
  readonly transactionAt: string;
  readonly fund: FundRef;
}

/** How a staff member resolved a transfer: matched to a pledge or a campaign, or not a donation. */
export type Resolution =
  | { readonly kind: "matched"; readonly match: Extract<TransferMatch, { kind: "pledge" | "campaign" }> }
  | { readonly kind: "dismissed"; readonly note: string };

/**
 * The event of a staff resolution. Its eventId derives from the transfer (one resolution per transfer);
 * its content hash from the request, so the same request again is a retry and another one a conflict.
 */
export const resolutionEvent = (
  review: TransferUnderReview,
  request: TransferResolutionRequest,
  resolution: Resolution,
  principal: Principal,
  now: Date,
): TransferMatched | TransferDismissed => {
  const recordedAt = toVietnamIso(now);
  const common = {
    eventId: derivedEventId(`bank-transfer:${review.transferEventId}`, "resolved"),
    schemaVersion: 1 as const,
    occurredAt: recordedAt,
    recordedAt,
    unitCode: review.fund.unitCode,
    source: { channel: "staff" as const, contentHash: resolutionHash(request) },
    actor: actorOf(principal),
  };
  const underReview = {
    transferEventId: review.transferEventId,
    amountVnd: review.amountVnd,
    transactionAt: review.transactionAt,
    fund: review.fund,
  };
  switch (resolution.kind) {
    case "matched":
      return { ...common, type: "TransferMatched", data: { ...underReview, match: resolution.match } };
    case "dismissed":
      return { ...common, type: "TransferDismissed", data: { ...underReview, note: resolution.note } };
  }
};

/** The hash a resolution is known by: equal requests are one resolution, whatever their key order. */
export const resolutionHash = (request: TransferResolutionRequest): string => hashOf(request);
