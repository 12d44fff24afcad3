import { randomUUID } from "node:crypto";
import { receiptNumberOf } from "#domain/donation-code.ts";
import type {
  BankTransferReceived,
  BankTransferSent,
  CashReceived,
  FundRef,
  GoodsReceived,
  IncomeReversed,
  TransferDismissed,
  TransferMatch,
  TransferMatched,
} from "#events/payment.ts";

/** The restricted bookshelf campaign of the examples (data/campaigns/): its fund is province 15's. */
export const BOOKSHELVES = "tu-sach-dinh-huu-du-2026";
export const BOOKSHELF_FUND: FundRef = { unitCode: "15", purpose: `campaign:${BOOKSHELVES}` };
/** The September campaign covers the whole country: its money goes to the central general fund. */
export const SEPTEMBER = "thang-9-khuyen-hoc-2026";
export const CENTRAL_FUND: FundRef = { unitCode: "VN", purpose: "general" };

const staff = { actor: { subject: "staff-1", role: "unit-staff" as const } };
const source = (channel: "staff" | "payment-notifier") => ({ channel, contentHash: "0".repeat(64) });

const transfer = (amountVnd: number, transactionAt: string) => ({
  notifierId: randomUUID().slice(0, 12),
  gateway: "VCB",
  accountNumber: "0011001234567",
  amountVnd,
  content: "UNG HO",
  transactionAt,
});

/** A transfer in, as the bank-transfer door records it, matched as told. */
export const transferReceived = (
  amountVnd: number,
  match: TransferMatch,
  transactionAt = "2026-09-10T10:00:00+07:00",
): BankTransferReceived => ({
  eventId: randomUUID(),
  type: "BankTransferReceived",
  schemaVersion: 1,
  occurredAt: transactionAt,
  recordedAt: transactionAt,
  unitCode: match.fund.unitCode,
  source: source("payment-notifier"),
  data: { transfer: transfer(amountVnd, transactionAt), match },
});

/** A campaign match of a transfer (or of a transfer under review). */
export const toCampaign = (campaignId: string, fund: FundRef) =>
  ({ kind: "campaign", campaignId, fund }) as const;

/** An unmatched transfer, waiting in the review list of `fund`. */
export const unmatched = (fund: FundRef = CENTRAL_FUND) =>
  ({ kind: "unmatched", reason: "no-code", fund }) as const;

/** Money out of a fund's account. */
export const transferSent = (
  amountVnd: number,
  fund: FundRef,
  transactionAt = "2026-09-11T10:00:00+07:00",
): BankTransferSent => ({
  eventId: randomUUID(),
  type: "BankTransferSent",
  schemaVersion: 1,
  occurredAt: transactionAt,
  recordedAt: transactionAt,
  unitCode: fund.unitCode,
  source: source("payment-notifier"),
  data: { transfer: transfer(amountVnd, transactionAt), fund },
});

const underReview = (received: BankTransferReceived) => ({
  transferEventId: received.eventId,
  amountVnd: received.data.transfer.amountVnd,
  transactionAt: received.data.transfer.transactionAt,
  fund: received.data.match.fund,
});

/** Staff attribute a transfer under review to a campaign. */
export const transferMatched = (
  received: BankTransferReceived,
  match: ReturnType<typeof toCampaign>,
): TransferMatched => ({
  eventId: randomUUID(),
  type: "TransferMatched",
  schemaVersion: 1,
  occurredAt: "2026-09-20T10:00:00+07:00",
  recordedAt: "2026-09-20T10:00:00+07:00",
  unitCode: received.unitCode,
  source: source("staff"),
  ...staff,
  data: { ...underReview(received), match },
});

/** Staff mark a transfer under review as no donation. */
export const transferDismissed = (received: BankTransferReceived): TransferDismissed => ({
  eventId: randomUUID(),
  type: "TransferDismissed",
  schemaVersion: 1,
  occurredAt: "2026-09-20T10:00:00+07:00",
  recordedAt: "2026-09-20T10:00:00+07:00",
  unitCode: received.unitCode,
  source: source("staff"),
  ...staff,
  data: { ...underReview(received), note: "Hội phí của hội viên" },
});

const receiptEnvelope = (occurredAt: string, unitCode: string) => {
  const eventId = randomUUID();
  return {
    eventId,
    schemaVersion: 1 as const,
    occurredAt,
    recordedAt: occurredAt,
    unitCode,
    source: source("staff"),
    ...staff,
    receiptNumber: receiptNumberOf(eventId),
  };
};

/** Cash counted by a commune's staff into `fund`. */
export const cashReceived = (
  amountVnd: number,
  fund: FundRef,
  campaignId?: string,
  occurredAt = "2026-09-12T15:00:00+07:00",
  unitCode = "04252",
): CashReceived => ({
  ...receiptEnvelope(occurredAt, unitCode),
  type: "CashReceived",
  data: {
    amountVnd,
    origin: { kind: "piggy-bank", school: "Trường Tiểu học Yên Ninh", class: "5A" },
    ...(campaignId === undefined ? {} : { campaignId }),
    fund,
  },
});

/** Goods received into `fund`, valued in VND. */
export const goodsReceived = (
  valuationVnd: number,
  fund: FundRef,
  campaignId?: string,
  occurredAt = "2026-09-13T15:00:00+07:00",
): GoodsReceived => ({
  ...receiptEnvelope(occurredAt, "04252"),
  type: "GoodsReceived",
  data: {
    description: "200 quyển sách giáo khoa",
    valuationVnd,
    valuedBy: "Ban thường trực Hội Khuyến học xã",
    ...(campaignId === undefined ? {} : { campaignId }),
    fund,
  },
});

/** A reversal of income, restating what it takes back. */
export const incomeReversed = (
  of: { eventId: string },
  income: Pick<IncomeReversed["data"], "moneyVnd" | "inKindVnd" | "receivedAt" | "fund" | "campaignId">,
): IncomeReversed => ({
  eventId: randomUUID(),
  type: "IncomeReversed",
  schemaVersion: 1,
  occurredAt: "2026-10-01T10:00:00+07:00",
  recordedAt: "2026-10-01T10:00:00+07:00",
  unitCode: income.fund.unitCode,
  source: source("staff"),
  ...staff,
  data: { reversedEventId: of.eventId, reason: "refund", ...income },
});
