import type { DomainEvent } from "#events/index.ts";
import type { FundRef } from "#events/payment.ts";
import type { GrantFacts } from "#events/support.ts";
import { fundOfGrant } from "../funds.ts";
import type { Totals } from "../projection.ts";
import { campaignPartition } from "./campaign-pledges.ts";
import type { Contribution, Projection } from "./contract.ts";
import { yearOf } from "./unit-targets.ts";

/**
 * The fund ledger (docs/fund-ledger.md): per fund (the association of `VN`, a province or a commune), one
 * partition `fund#<unit>`; per purpose and Vietnamese calendar year, one item `<purpose>#<year>` with a
 * fixed set of counters, so an item stays small whatever the number of events and a fund's whole history
 * is one Query. Counters (VND unless `n`):
 * - `rm`, `rk`, `rn`: received money, goods valued in money, and how many receipts (net of reversals);
 * - `vm`, `vk`, `vn`: of which reversed (refunds, bank reversals), already taken out of `r*`;
 * - `dm`, `dk`, `dn`: disbursed by grants paid from it (net of corrections and revocations);
 * - `um`, `un`: unattributed transfers waiting for review; `xm`, `xn`: of those, dismissed as no donation;
 * - `om`, `on`: money sent out of the fund's account, never counted as income.
 * A campaign's partition gains one item `received` (`m`, `k`, `n`): what arrived for it.
 */
export const fundPartition = (unitCode: string): string => `fund#${unitCode}`;

/** The item of one purpose in one Vietnamese calendar year. */
export const fundItem = (purpose: string, at: string): string => `${purpose}#${yearOf(at)}`;

/** The item of a campaign's partition that holds what was received for it. */
export const CAMPAIGN_RECEIVED_ITEM = "received";

type Counters = Record<string, number>;

const into = (fund: FundRef, at: string, add: Counters): Contribution => ({
  target: { partition: fundPartition(fund.unitCode), item: fundItem(fund.purpose, at) },
  add,
});

/** What a receipt adds (sign 1) or a reversal takes back (sign -1) from the campaign it was for. */
const campaignReceived = (
  campaignId: string | undefined,
  money: number,
  inKind: number,
  sign: 1 | -1,
): Contribution[] =>
  campaignId === undefined
    ? []
    : [
        {
          target: { partition: campaignPartition(campaignId), item: CAMPAIGN_RECEIVED_ITEM },
          add: nonZero({ m: sign * money, k: sign * inKind, n: sign }),
        },
      ];

/** Counters without the zeros, so an event never writes a counter it does not move. */
const nonZero = (add: Counters): Counters =>
  Object.fromEntries(Object.entries(add).filter(([, value]) => value !== 0));

const received = (money: number, inKind: number): Counters => nonZero({ rm: money, rk: inKind, rn: 1 });

/** A grant's disbursement from its fund, in the year of the grant, times `sign`. */
const disbursed = (grant: GrantFacts, sign: 1 | -1, instances: 0 | 1): Contribution =>
  into(
    fundOfGrant(grant),
    grant.occurredAt,
    nonZero({ dm: sign * grant.moneyVnd, dk: sign * grant.inKindVnd, dn: sign * instances }),
  );

/**
 * What one event moves in the fund ledger. Each event carries its fund (the server filled it in when the
 * command arrived), so the fold is pure: a transfer counts in the year the bank booked it, and whatever
 * later moves it (a match, a dismissal, a reversal) moves it in that same item.
 */
export const fundLedgerContributions = (event: DomainEvent): readonly Contribution[] => {
  switch (event.type) {
    case "BankTransferReceived": {
      const { transfer, match } = event.data;
      if (match.kind === "unmatched")
        return [into(match.fund, transfer.transactionAt, { um: transfer.amountVnd, un: 1 })];
      return [
        into(match.fund, transfer.transactionAt, received(transfer.amountVnd, 0)),
        ...campaignReceived(match.campaignId, transfer.amountVnd, 0, 1),
      ];
    }
    case "BankTransferSent":
      return [
        into(event.data.fund, event.data.transfer.transactionAt, {
          om: event.data.transfer.amountVnd,
          on: 1,
        }),
      ];
    case "TransferMatched": {
      const { amountVnd, transactionAt, fund, match } = event.data;
      return [
        into(fund, transactionAt, { um: -amountVnd, un: -1 }),
        into(match.fund, transactionAt, received(amountVnd, 0)),
        ...campaignReceived(match.campaignId, amountVnd, 0, 1),
      ];
    }
    case "TransferDismissed": {
      const { amountVnd, transactionAt, fund } = event.data;
      return [into(fund, transactionAt, { um: -amountVnd, un: -1, xm: amountVnd, xn: 1 })];
    }
    case "CashReceived":
      return [
        into(event.data.fund, event.occurredAt, received(event.data.amountVnd, 0)),
        ...campaignReceived(event.data.campaignId, event.data.amountVnd, 0, 1),
      ];
    case "GoodsReceived":
      return [
        into(event.data.fund, event.occurredAt, received(0, event.data.valuationVnd)),
        ...campaignReceived(event.data.campaignId, 0, event.data.valuationVnd, 1),
      ];
    case "IncomeReversed": {
      const { moneyVnd, inKindVnd, receivedAt, fund, campaignId } = event.data;
      return [
        into(
          fund,
          receivedAt,
          nonZero({ rm: -moneyVnd, rk: -inKindVnd, rn: -1, vm: moneyVnd, vk: inKindVnd, vn: 1 }),
        ),
        ...campaignReceived(campaignId, moneyVnd, inKindVnd, -1),
      ];
    }
    case "SupportGranted":
      return [disbursed({ ...event.data, occurredAt: event.occurredAt, unitCode: event.unitCode }, 1, 1)];
    case "SupportCorrected": {
      const { original, corrected } = event.data;
      const add = nonZero({
        dm: corrected.moneyVnd - original.moneyVnd,
        dk: corrected.inKindVnd - original.inKindVnd,
      });
      return Object.keys(add).length === 0 ? [] : [into(fundOfGrant(original), original.occurredAt, add)];
    }
    case "SupportRevoked":
      return [disbursed(event.data.original, -1, 1)];
    case "DonationPledged":
    case "BeneficiaryRegistered":
    case "BeneficiaryErased":
    case "PersonalDataAccessed":
    case "SponsorshipStarted":
    case "SponsorshipEnded":
    case "AssessmentRegistered":
    case "AssessmentRecorded":
    case "CampaignDefined":
    case "CampaignUpdated":
    case "CampaignClosed":
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** The fund ledger projection: funds by purpose and year, and what each campaign received. */
export const fundLedger: Projection = {
  name: "fund-ledger",
  eventTypes: [
    "BankTransferReceived",
    "BankTransferSent",
    "TransferMatched",
    "TransferDismissed",
    "CashReceived",
    "GoodsReceived",
    "IncomeReversed",
    "SupportGranted",
    "SupportCorrected",
    "SupportRevoked",
  ],
  contributions: fundLedgerContributions,
};

/** What a campaign received, from the items of its partition (as `store.readPartition` returns them). */
export const campaignReceivedOf = (items: ReadonlyMap<string, Readonly<Record<string, number>>>): Totals => {
  const c = items.get(CAMPAIGN_RECEIVED_ITEM) ?? {};
  return { moneyVnd: c.m ?? 0, inKindVnd: c.k ?? 0, count: c.n ?? 0 };
};

/** A purpose's figures in one year, named for people. */
export interface FundYear {
  readonly purpose: string;
  readonly year: string;
  readonly received: Totals;
  readonly reversed: Totals;
  readonly disbursed: Totals;
  readonly unattributed: { readonly moneyVnd: number; readonly count: number };
  readonly dismissed: { readonly moneyVnd: number; readonly count: number };
  readonly outgoing: { readonly moneyVnd: number; readonly count: number };
  /** Received less disbursed, money and goods each. */
  readonly balance: { readonly moneyVnd: number; readonly inKindVnd: number };
}

/** A fund's partition as purposes by year, in ascending order. Pure. */
export const fundYearsOf = (items: ReadonlyMap<string, Readonly<Record<string, number>>>): FundYear[] =>
  [...items]
    .map(([item, c]) => {
      const at = item.lastIndexOf("#");
      const n = (name: string) => c[name] ?? 0;
      return {
        purpose: item.slice(0, at),
        year: item.slice(at + 1),
        received: { moneyVnd: n("rm"), inKindVnd: n("rk"), count: n("rn") },
        reversed: { moneyVnd: n("vm"), inKindVnd: n("vk"), count: n("vn") },
        disbursed: { moneyVnd: n("dm"), inKindVnd: n("dk"), count: n("dn") },
        unattributed: { moneyVnd: n("um"), count: n("un") },
        dismissed: { moneyVnd: n("xm"), count: n("xn") },
        outgoing: { moneyVnd: n("om"), count: n("on") },
        balance: { moneyVnd: n("rm") - n("dm"), inKindVnd: n("rk") - n("dk") },
      };
    })
    .sort((a, b) => (a.purpose === b.purpose ? (a.year < b.year ? -1 : 1) : a.purpose < b.purpose ? -1 : 1));

/** The money a purpose received in every year: what a restricted grant may be paid from. */
export const receivedMoneyOf = (
  items: ReadonlyMap<string, Readonly<Record<string, number>>>,
  purpose: string,
): number => {
  let total = 0;
  for (const [item, c] of items) if (item.slice(0, item.lastIndexOf("#")) === purpose) total += c.rm ?? 0;
  return total;
};
