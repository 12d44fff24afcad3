import type { DomainEvent } from "#events/index.ts";
import type {
  CashReceiptRequest,
  CashReceived,
  FundRef,
  GoodsReceiptRequest,
  GoodsReceived,
  IncomeReversalRequest,
  IncomeReversed,
} from "#events/payment.ts";
import { derivedEventId } from "./beneficiary.ts";
import type { Clock } from "./donation.ts";
import { receiptNumberOf } from "./donation-code.ts";
import { checkWhenAndWhere, hashOf } from "./family-commands.ts";
import { NotIncome } from "./fund-errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso } from "./time.ts";

/**
 * Staff receipts of cash and goods, and reversals of income (docs/fund-ledger.md). The routes read the
 * fund (the unit's general fund, or the campaign's) and pass it in; these are pure.
 */

/** The eventId of a receipt: derived from its receiptId, so a retry is the same event. */
export const receiptEventId = (kind: "cash" | "goods", receiptId: string): string =>
  derivedEventId(receiptId, `receipt|${kind}`);

/** The staff envelope of a receipt, under its derived eventId. */
const receiptEnvelope = (
  kind: "cash" | "goods",
  body: CashReceiptRequest | GoodsReceiptRequest,
  principal: Principal,
  clock: Clock,
) => {
  const recordedAt = checkWhenAndWhere(body.occurredAt, body.unitCode, clock);
  const eventId = receiptEventId(kind, body.receiptId ?? clock.newId());
  const { receiptId: _id, ...content } = body;
  return {
    eventId,
    schemaVersion: 1 as const,
    occurredAt: body.occurredAt,
    recordedAt,
    unitCode: body.unitCode,
    source: { channel: "staff" as const, contentHash: hashOf({ kind, ...content }) },
    actor: actorOf(principal),
    receiptNumber: receiptNumberOf(eventId),
  };
};

/** The CashReceived event of `POST /v1/receipts/cash`, into `fund`; 422 when dated ahead or at a bad unit. */
export const cashReceivedFrom = (
  body: CashReceiptRequest,
  fund: FundRef,
  principal: Principal,
  clock: Clock,
): CashReceived => ({
  ...receiptEnvelope("cash", body, principal, clock),
  type: "CashReceived",
  data: {
    amountVnd: body.amountVnd,
    origin: body.origin,
    ...(body.campaignId === undefined ? {} : { campaignId: body.campaignId }),
    fund,
  },
});

/** The GoodsReceived event of `POST /v1/receipts/goods`, into `fund`. */
export const goodsReceivedFrom = (
  body: GoodsReceiptRequest,
  fund: FundRef,
  principal: Principal,
  clock: Clock,
): GoodsReceived => ({
  ...receiptEnvelope("goods", body, principal, clock),
  type: "GoodsReceived",
  data: {
    description: body.description,
    valuationVnd: body.valuationVnd,
    valuedBy: body.valuedBy,
    ...(body.donorName === undefined ? {} : { donorName: body.donorName }),
    ...(body.campaignId === undefined ? {} : { campaignId: body.campaignId }),
    fund,
  },
});

/** Income as a reversal takes it back: how much, when it counted, for which campaign and fund. */
export interface Income {
  readonly moneyVnd: number;
  readonly inKindVnd: number;
  readonly receivedAt: string;
  readonly campaignId?: string;
  readonly fund: FundRef;
}

/**
 * The income an event recorded, or undefined when it recorded none: a transfer matched on arrival, a
 * transfer matched by staff later (the match is the income, not the transfer), cash, goods. An unmatched
 * transfer is not income yet: it is resolved first.
 */
export const incomeOf = (event: DomainEvent): Income | undefined => {
  switch (event.type) {
    case "BankTransferReceived": {
      const { transfer, match } = event.data;
      if (match.kind === "unmatched") return undefined;
      return {
        moneyVnd: transfer.amountVnd,
        inKindVnd: 0,
        receivedAt: transfer.transactionAt,
        campaignId: match.campaignId,
        fund: match.fund,
      };
    }
    case "TransferMatched":
      return {
        moneyVnd: event.data.amountVnd,
        inKindVnd: 0,
        receivedAt: event.data.transactionAt,
        campaignId: event.data.match.campaignId,
        fund: event.data.match.fund,
      };
    case "CashReceived":
      return {
        moneyVnd: event.data.amountVnd,
        inKindVnd: 0,
        receivedAt: event.occurredAt,
        ...(event.data.campaignId === undefined ? {} : { campaignId: event.data.campaignId }),
        fund: event.data.fund,
      };
    case "GoodsReceived":
      return {
        moneyVnd: 0,
        inKindVnd: event.data.valuationVnd,
        receivedAt: event.occurredAt,
        ...(event.data.campaignId === undefined ? {} : { campaignId: event.data.campaignId }),
        fund: event.data.fund,
      };
    case "DonationPledged":
    case "BeneficiaryRegistered":
    case "BeneficiaryErased":
    case "PersonalDataAccessed":
    case "SupportGranted":
    case "SupportCorrected":
    case "SupportRevoked":
    case "SponsorshipStarted":
    case "SponsorshipEnded":
    case "AssessmentRegistered":
    case "AssessmentRecorded":
    case "CampaignDefined":
    case "CampaignUpdated":
    case "CampaignClosed":
    case "BankTransferSent":
    case "TransferDismissed":
    case "IncomeReversed":
      return undefined;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** Income is reversed at most once, so the reversal's id is the reversed event's alone. */
export const reversalEventId = (reversedEventId: string): string =>
  derivedEventId(reversedEventId, "income-reversed");

/**
 * The IncomeReversed event of `POST /v1/receipts/{eventId}/reversals`, restating the income from the
 * event the ledger holds, or 422 `not_income` when that event recorded none.
 */
export const incomeReversedFrom = (
  original: DomainEvent,
  body: IncomeReversalRequest,
  principal: Principal,
  clock: Clock,
): IncomeReversed => {
  const income = incomeOf(original);
  if (income === undefined) {
    const message = `event ${original.eventId} (${original.type}) recorded no income to reverse`;
    throw new NotIncome(message, [{ path: "eventId", message, code: "not_income" }]);
  }
  const recordedAt = toVietnamIso(clock.now());
  return {
    eventId: reversalEventId(original.eventId),
    type: "IncomeReversed",
    schemaVersion: 1,
    occurredAt: recordedAt,
    recordedAt,
    unitCode: original.unitCode,
    source: { channel: "staff", contentHash: hashOf({ reversedEventId: original.eventId, ...body }) },
    actor: actorOf(principal),
    data: {
      reversedEventId: original.eventId,
      reason: body.reason,
      ...(body.note === undefined ? {} : { note: body.note }),
      ...income,
    },
  };
};
