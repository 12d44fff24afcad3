import type { DomainEvent } from "#events/index.ts";
import { vietnamDayOf } from "./time.ts";

/** Pledged totals: money and in-kind in integer VND, and how many pledges. */
export interface Totals {
  moneyVnd: number;
  inKindVnd: number;
  count: number;
}

/** What a set of events adds to one campaign's dashboard. */
export interface CampaignDelta {
  readonly campaignId: string;
  readonly total: Totals;
  readonly byDay: Map<string, Totals>;
  readonly byUnit: Map<string, Totals>;
}

export const zeroTotals = (): Totals => ({ moneyVnd: 0, inKindVnd: 0, count: 0 });

const addInto = (into: Totals, add: Totals): void => {
  into.moneyVnd += add.moneyVnd;
  into.inKindVnd += add.inKindVnd;
  into.count += add.count;
};

const bucket = (map: Map<string, Totals>, key: string): Totals => {
  let totals = map.get(key);
  if (totals === undefined) {
    totals = zeroTotals();
    map.set(key, totals);
  }
  return totals;
};

/** The campaign an event counts towards, or undefined when it does not move any campaign total. */
export const campaignOf = (event: DomainEvent): string | undefined => {
  switch (event.type) {
    case "DonationPledged":
      return event.campaignId;
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
      return undefined;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/** What one event adds to its campaign's pledged totals. */
export const contributionOf = (event: DomainEvent): Totals => {
  switch (event.type) {
    case "DonationPledged": {
      const c = event.data.contribution;
      return c.kind === "money"
        ? { moneyVnd: c.amountVnd, inKindVnd: 0, count: 1 }
        : { moneyVnd: 0, inKindVnd: c.valuationVnd, count: 1 };
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
      return zeroTotals();
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
};

/**
 * Folds events into one delta per campaign: the projector then writes each campaign once per batch
 * instead of once per event (see docs/exactly-once.md). Pure; the caller has already removed duplicates.
 */
export const foldDeltas = (events: readonly DomainEvent[]): Map<string, CampaignDelta> => {
  const deltas = new Map<string, CampaignDelta>();
  for (const event of events) {
    const campaignId = campaignOf(event);
    if (campaignId === undefined) continue;
    let delta = deltas.get(campaignId);
    if (delta === undefined) {
      delta = { campaignId, total: zeroTotals(), byDay: new Map(), byUnit: new Map() };
      deltas.set(campaignId, delta);
    }
    const add = contributionOf(event);
    addInto(delta.total, add);
    addInto(bucket(delta.byDay, vietnamDayOf(event.occurredAt)), add);
    addInto(bucket(delta.byUnit, event.unitCode), add);
  }
  return deltas;
};

/** A campaign's pledged totals as the dashboard reads them. */
export interface CampaignView {
  readonly campaignId: string;
  readonly pledged: Totals;
  readonly byDay: readonly ({ day: string } & Totals)[];
  readonly byUnit: readonly ({ unitCode: string } & Totals)[];
}

/** Sums partial deltas (the shards of a campaign) into the view, days and units in ascending order. */
export const mergeDeltas = (campaignId: string, parts: readonly CampaignDelta[]): CampaignView => {
  const pledged = zeroTotals();
  const byDay = new Map<string, Totals>();
  const byUnit = new Map<string, Totals>();
  for (const part of parts) {
    addInto(pledged, part.total);
    for (const [day, t] of part.byDay) addInto(bucket(byDay, day), t);
    for (const [unit, t] of part.byUnit) addInto(bucket(byUnit, unit), t);
  }
  const sorted = <K extends string>(map: Map<string, Totals>, key: K) =>
    [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, t]) => ({ [key]: k, ...t }) as { [P in K]: string } & Totals);
  return { campaignId, pledged, byDay: sorted(byDay, "day"), byUnit: sorted(byUnit, "unitCode") };
};
