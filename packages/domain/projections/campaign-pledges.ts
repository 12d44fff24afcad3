import type { DomainEvent } from "#events/index.ts";
import { type CampaignView, contributionOf, type Totals, zeroTotals } from "../projection.ts";
import { vietnamDayOf } from "../time.ts";
import type { Contribution, Projection } from "./contract.ts";

/** The partition that holds one campaign's pledged totals: one Query reads the whole dashboard. */
export const campaignPartition = (campaignId: string): string => `cp#${campaignId}`;

/**
 * The item a unit's counters live in. Communes are grouped by the first three digits of their code, so an
 * item holds at most 100 communes (300 counters, about 4 KB) in any era, however many provinces a
 * campaign spans; provinces share one item (at most 63 of them).
 */
const unitItem = (unitCode: string): string => (unitCode.length === 2 ? "u#p" : `u#${unitCode.slice(0, 3)}`);

const counters = (prefix: string, t: Totals): Record<string, number> => {
  const add: Record<string, number> = { [`${prefix}n`]: t.count };
  if (t.moneyVnd !== 0) add[`${prefix}m`] = t.moneyVnd;
  if (t.inKindVnd !== 0) add[`${prefix}k`] = t.inKindVnd;
  return add;
};

/**
 * What one pledge adds to its campaign: its day (in the item of its month, `d#YYYY-MM`, counters
 * `DD#n|m|k`) and its unit (counters `<code>#n|m|k`). The campaign's total is the sum of its days, read
 * with them: a separate total item would cost every batch one more write.
 */
export const campaignPledgeContributions = (event: DomainEvent): readonly Contribution[] => {
  switch (event.type) {
    case "DonationPledged": {
      const partition = campaignPartition(event.campaignId);
      const t = contributionOf(event);
      const day = vietnamDayOf(event.occurredAt);
      return [
        { target: { partition, item: `d#${day.slice(0, 7)}` }, add: counters(`${day.slice(8, 10)}#`, t) },
        { target: { partition, item: unitItem(event.unitCode) }, add: counters(`${event.unitCode}#`, t) },
      ];
    }
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
    case "BankTransferReceived":
    case "BankTransferSent":
    case "TransferMatched":
    case "TransferDismissed":
    case "CashReceived":
    case "GoodsReceived":
    case "IncomeReversed":
      return [];
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** The campaign pledge projection: the first registered projection. */
export const campaignPledges: Projection = {
  name: "campaign-pledges",
  eventTypes: ["DonationPledged"],
  contributions: campaignPledgeContributions,
};

const totalsOf = (counters: Readonly<Record<string, number>>, prefix: string): Totals => ({
  moneyVnd: counters[`${prefix}m`] ?? 0,
  inKindVnd: counters[`${prefix}k`] ?? 0,
  count: counters[`${prefix}n`] ?? 0,
});

/**
 * Turns the items of a campaign's partition (as `store.readPartition` returns them) into the dashboard
 * view, days and units in ascending order. Pure.
 */
export const campaignViewOf = (
  campaignId: string,
  items: ReadonlyMap<string, Readonly<Record<string, number>>>,
): CampaignView => {
  let pledged = zeroTotals();
  const byDay: ({ day: string } & Totals)[] = [];
  const byUnit: ({ unitCode: string } & Totals)[] = [];
  for (const [item, c] of items) {
    const keys = new Set(Object.keys(c).map((counter) => counter.slice(0, counter.lastIndexOf("#"))));
    for (const key of keys) {
      if (item.startsWith("d#")) byDay.push({ day: `${item.slice(2)}-${key}`, ...totalsOf(c, `${key}#`) });
      else if (item.startsWith("u#")) byUnit.push({ unitCode: key, ...totalsOf(c, `${key}#`) });
    }
  }
  // The total is the sum of the days: every pledge counts on exactly one day.
  for (const day of byDay)
    pledged = {
      moneyVnd: pledged.moneyVnd + day.moneyVnd,
      inKindVnd: pledged.inKindVnd + day.inKindVnd,
      count: pledged.count + day.count,
    };
  byDay.sort((a, b) => (a.day < b.day ? -1 : 1));
  byUnit.sort((a, b) => (a.unitCode < b.unitCode ? -1 : 1));
  return { campaignId, pledged, byDay, byUnit };
};
