import { createHash } from "node:crypto";
import { derivedEventId } from "#domain/beneficiary.ts";
import { canonicalJson } from "#domain/donation.ts";
import { donationCodeOf } from "#domain/donation-code.ts";
import type { CampaignDefinitionRequest } from "#events/campaign.ts";
import type { DomainEvent } from "#events/index.ts";
import type { BankTransferReceived, BankTransferSent, FundRef, TransferMatch } from "#events/payment.ts";
import { exampleCampaigns } from "./campaigns.ts";

/**
 * Bank-transfer notifications for drills and benchmarks, with the money events the bank-transfer door
 * (`POST /v1/payments/bank-transfer`) would enqueue for them: most matched to a pledge of the example
 * campaigns by its donation code, some to a campaign by its account, some unmatched (no code, or a code
 * no pledge has), a handful outgoing; a share of them delivered a second time, as notifiers retry.
 * Deterministic for a source of numbers.
 */

type Random = () => number;

/** A notification as Vietnamese bank-transfer notifiers post it (SePay's field names). */
export interface BankNotification {
  readonly id: number;
  readonly gateway: string;
  /** Vietnam's local time, without an offset: `2026-09-05 10:21:33`. */
  readonly transactionDate: string;
  readonly accountNumber: string;
  readonly content: string;
  readonly transferType: "in" | "out";
  readonly transferAmount: number;
  readonly referenceCode: string;
}

export type MoneyEvent = BankTransferReceived | BankTransferSent;

/** One notification and the event the door makes of it. */
export interface Transfer {
  readonly notification: BankNotification;
  readonly event: MoneyEvent;
}

export interface PaymentOptions {
  /** Distinct notifications. */
  readonly notifications: number;
  /** Share delivered a second time with the same notifier id and body (default 0.3). */
  readonly duplicateShare?: number;
  /** Shares of distinct notifications that carry no code, and a code no pledge has (default 0.05 each). */
  readonly noCodeShare?: number;
  readonly unknownCodeShare?: number;
  /** Share attributed to a campaign without a pledge (a campaign's own account, no code) (default 0.05). */
  readonly campaignShare?: number;
  /** Share of money going out of an account (default 0.005, at least one). */
  readonly outgoingShare?: number;
  /** The first day of the month the transfers fall in, in Asia/Ho_Chi_Minh (default 2026-09-01). */
  readonly month?: string;
  /** Redeliveries follow their original within this many messages (default 300). */
  readonly redeliveryWithin?: number;
}

export interface PaymentWorkload {
  /** Every notification once, in time order. */
  readonly transfers: readonly Transfer[];
  /** What is delivered, in order: every transfer once, plus the redelivered ones a second time. */
  readonly deliveries: readonly Transfer[];
  /** The events of `deliveries`, as they go on the queue. */
  readonly messages: readonly DomainEvent[];
  /** Distinct events. */
  readonly unique: number;
  /** Distinct events by type. */
  readonly byType: Readonly<Partial<Record<DomainEvent["type"], number>>>;
  /** Distinct incoming transfers by how they were matched. */
  readonly byMatch: Readonly<Record<TransferMatch["kind"], number>>;
}

/** The notifier's id and gateway make one transfer, so a retried notification is one event. */
export const transferEventId = (gateway: string, notifierId: string): string =>
  derivedEventId(`bank-transfer|${gateway}`, notifierId);

/** The fund of a campaign (docs/fund-ledger.md): its fund unit, else its single covered unit, else `VN`. */
export const fundOf = (campaign: CampaignDefinitionRequest): FundRef => ({
  unitCode: campaign.fundUnit ?? (campaign.units.length === 1 ? (campaign.units[0] ?? "VN") : "VN"),
  purpose: campaign.restrictedPurpose ? `campaign:${campaign.id}` : "general",
});

const GATEWAYS = ["Vietcombank", "VietinBank", "BIDV", "MBBank", "TPBank", "ACB"] as const;
/** The account of a fund (invented): where its campaigns' donors transfer unless a campaign has its own. */
const accountOf = (unitCode: string): string =>
  unitCode === "VN" ? "0071000686868" : `10${unitCode.padStart(5, "0")}8868`;

const pick = <T>(rand: Random, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

const uuidFrom = (rand: Random): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** How donors and banks write a code into the note: as issued, lower case, split, glued to words. */
const noteWith = (code: string, rand: Random): string => {
  const r = rand();
  if (r < 0.4) return `${code} ung ho khuyen hoc`;
  if (r < 0.55) return `${code.toLowerCase()} ung ho`;
  if (r < 0.7) return `UNG HO ${code.slice(0, 6)}-${code.slice(6)}`;
  if (r < 0.85) return `NGUYEN VAN AN chuyen tien${code}`;
  return `MBVCB.1234567.${code.slice(0, 4)} ${code.slice(4)}.CT tu 0123456789`;
};

const localTime = (at: number): string => new Date(at + 7 * 3_600_000).toISOString().slice(0, 19);

/**
 * A deterministic month of bank-transfer notifications to the example campaigns' funds. Same options and
 * numbers, same transfers.
 */
export const bankTransfers = (options: PaymentOptions, rand: Random): PaymentWorkload => {
  const campaigns = exampleCampaigns();
  const noCode = options.noCodeShare ?? 0.05;
  const unknownCode = noCode + (options.unknownCodeShare ?? 0.05);
  const toCampaign = unknownCode + (options.campaignShare ?? 0.05);
  const outgoing = Math.max(1, Math.round(options.notifications * (options.outgoingShare ?? 0.005)));
  const outgoingEvery = Math.max(1, Math.floor(options.notifications / outgoing));
  const start = Date.parse(`${options.month ?? "2026-09-01"}T00:00:00+07:00`);
  const month = 30 * 86_400_000;
  const byMatch: Record<TransferMatch["kind"], number> = { pledge: 0, campaign: 0, unmatched: 0 };

  const transfers: Transfer[] = Array.from({ length: options.notifications }, (_, i) => {
    const at = start + Math.floor((i / options.notifications) * month + rand() * 60_000);
    const campaign = pick(rand, campaigns);
    const fund = fundOf(campaign);
    const gateway = pick(rand, GATEWAYS);
    const accountNumber = campaign.bankAccount?.accountNumber ?? accountOf(fund.unitCode);
    const out = i % outgoingEvery === outgoingEvery - 1 && i / outgoingEvery < outgoing;
    const pledgedVnd = (1 + Math.floor(rand() * 500)) * 10_000;
    const r = rand();
    const paid =
      r < 0.8 ? pledgedVnd : r < 0.9 ? Math.max(10_000, pledgedVnd - 50_000) : pledgedVnd + 100_000;
    const pledgeEventId = uuidFrom(rand);
    const kind = rand();
    let match: TransferMatch;
    let content: string;
    if (kind < noCode) {
      match = { kind: "unmatched", reason: "no-code", fund: { unitCode: fund.unitCode, purpose: "general" } };
      content = "ung ho quy khuyen hoc";
    } else if (kind < unknownCode) {
      // A code that passes its check character but belongs to no pledge (a typo'd or invented one).
      match = {
        kind: "unmatched",
        reason: "unknown-code",
        fund: { unitCode: fund.unitCode, purpose: "general" },
      };
      content = noteWith(donationCodeOf(uuidFrom(rand)), rand);
    } else if (kind < toCampaign) {
      match = { kind: "campaign", campaignId: campaign.id, fund };
      content = `ung ho ${campaign.id}`;
    } else {
      const donationCode = donationCodeOf(pledgeEventId);
      const outcome = paid === pledgedVnd ? "exact" : paid < pledgedVnd ? "partial" : "over";
      match = {
        kind: "pledge",
        pledgeEventId,
        donationCode,
        campaignId: campaign.id,
        fund,
        pledgedVnd,
        outcome,
      };
      content = noteWith(donationCode, rand);
    }
    const notification: BankNotification = {
      id: 90_000_000 + i,
      gateway,
      transactionDate: localTime(at).replace("T", " "),
      accountNumber,
      content: out ? "CHI HOC BONG THANG 9" : content,
      transferType: out ? "out" : "in",
      transferAmount: paid,
      referenceCode: `FT26${String(i).padStart(8, "0")}`,
    };
    const transfer = {
      notifierId: String(notification.id),
      gateway,
      accountNumber,
      amountVnd: paid,
      content: notification.content,
      referenceCode: notification.referenceCode,
      transactionAt: `${localTime(at)}+07:00`,
    };
    const envelope = {
      eventId: transferEventId(gateway, transfer.notifierId),
      schemaVersion: 1 as const,
      occurredAt: transfer.transactionAt,
      recordedAt: `${localTime(at + 2_000 + Math.floor(rand() * 5_000))}+07:00`,
      unitCode: fund.unitCode,
      source: {
        channel: "payment-notifier" as const,
        contentHash: createHash("sha256").update(canonicalJson(notification)).digest("hex"),
      },
    };
    if (out) {
      const general = { unitCode: fund.unitCode, purpose: "general" };
      const event: BankTransferSent = {
        ...envelope,
        type: "BankTransferSent",
        data: { transfer, fund: general },
      };
      return { notification, event };
    }
    byMatch[match.kind]++;
    const event: BankTransferReceived = {
      ...envelope,
      type: "BankTransferReceived",
      data: { transfer, match },
    };
    return { notification, event };
  });

  // A redelivery follows its original within a few hundred messages, as a retrying notifier's would.
  const within = options.redeliveryWithin ?? 300;
  const share = options.duplicateShare ?? 0.3;
  const deliveries: Transfer[] = [];
  const pending: { due: number; transfer: Transfer }[] = [];
  transfers.forEach((transfer, i) => {
    deliveries.push(transfer);
    if (rand() < share) {
      pending.push({ due: i + 1 + Math.floor(rand() * within), transfer });
      pending.sort((a, b) => a.due - b.due);
    }
    while (pending.length > 0 && (pending[0]?.due ?? Number.POSITIVE_INFINITY) <= i) {
      const next = pending.shift();
      if (next) deliveries.push(next.transfer);
    }
  });
  for (const p of pending) deliveries.push(p.transfer);
  const byType: Partial<Record<DomainEvent["type"], number>> = {};
  for (const { event } of transfers) byType[event.type] = (byType[event.type] ?? 0) + 1;
  return {
    transfers,
    deliveries,
    messages: deliveries.map((d) => d.event),
    unique: transfers.length,
    byType,
    byMatch,
  };
};
