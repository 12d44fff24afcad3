import { campaignPartition, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
import { fundPartition } from "#domain/projections/fund-ledger.ts";
import { campaignDailyDigest } from "#domain/reports/campaign-daily.ts";
import { disclosureReport } from "#domain/reports/disclosure.ts";
import { monthlyReport } from "#domain/reports/monthly.ts";
import type { Report } from "#domain/reports/report.ts";
import { type Items, partitionsOf, planUnitReport, yearlyReport } from "#domain/reports/yearly.ts";
import type { AsOf } from "#domain/units.ts";
import { unitOn } from "#domain/units.ts";
import type { CampaignDefinition } from "#events/campaign.ts";

/** Which report to make: what `npm run report` and the scheduled report function both take. */
export type ReportRequest =
  | { readonly kind: "yearly"; readonly unit: string; readonly year: number; readonly asOf: AsOf }
  | {
      readonly kind: "monthly";
      readonly unit: string;
      readonly year: number;
      readonly month: string;
      readonly asOf: AsOf;
    }
  | { readonly kind: "campaign-daily"; readonly campaignId: string; readonly day: string }
  | { readonly kind: "disclosure"; readonly unit: string; readonly year: number };

/** What a report reads: projection partitions (one Query each) and campaign definitions. Nothing else. */
export interface ReportSources {
  readonly readPartition: (partition: string) => Promise<Items>;
  readonly readCampaign: (campaignId: string) => Promise<CampaignDefinition | undefined>;
  /** The Vietnamese day the report is made on (`YYYY-MM-DD`). */
  readonly today: string;
}

/** Why a report cannot be made, in words for the person who asked. */
export class ReportRequestError extends Error {
  override readonly name = "ReportRequestError";
}

/** How many partitions are read at once: enough to be quick, few enough not to throttle a table. */
const READ_CONCURRENCY = 8;

const readAll = async (partitions: readonly string[], sources: ReportSources) => {
  const read = new Map<string, Items>();
  for (let i = 0; i < partitions.length; i += READ_CONCURRENCY) {
    const batch = partitions.slice(i, i + READ_CONCURRENCY);
    const items = await Promise.all(batch.map((p) => sources.readPartition(p)));
    for (const [j, p] of batch.entries()) read.set(p, items[j] ?? new Map());
  }
  return read;
};

/** A report's files' base name: `yearly-15-2018`, `monthly-15-2018-09`, `campaign-daily-<id>-2026-09-05`. */
export const baseNameOf = (request: ReportRequest): string => {
  switch (request.kind) {
    case "yearly":
      return `yearly-${request.unit}-${request.year}${request.asOf === "current" ? "-current" : ""}`;
    case "monthly":
      return `monthly-${request.unit}-${request.year}-${request.month}${request.asOf === "current" ? "-current" : ""}`;
    case "campaign-daily":
      return `campaign-daily-${request.campaignId}-${request.day}`;
    case "disclosure":
      return `disclosure-${request.unit}-${request.year}`;
    default: {
      const unhandled: never = request;
      return unhandled;
    }
  }
};

/** Makes a report from the projections; its cost follows the number of units read, not of events. */
export const generateReport = async (request: ReportRequest, sources: ReportSources): Promise<Report> => {
  switch (request.kind) {
    case "yearly":
    case "monthly": {
      const plan = planUnitReport(request.unit, request.year, request.asOf, sources.today);
      if (plan === undefined)
        throw new ReportRequestError(`no administrative unit had code ${request.unit} in ${request.year}`);
      const read = await readAll(partitionsOf(plan), sources);
      return request.kind === "yearly" ? yearlyReport(plan, read) : monthlyReport(plan, request.month, read);
    }
    case "campaign-daily": {
      const campaign = await sources.readCampaign(request.campaignId);
      if (campaign === undefined) throw new ReportRequestError(`no campaign ${request.campaignId}`);
      const view = campaignViewOf(campaign.id, await sources.readPartition(campaignPartition(campaign.id)));
      return campaignDailyDigest(
        campaign,
        view,
        request.day,
        (code) => unitOn(code, request.day)?.name ?? code,
      );
    }
    case "disclosure": {
      const name =
        request.unit === "VN"
          ? "Trung ương Hội Khuyến học Việt Nam"
          : unitOn(request.unit, `${request.year}-12-31`)?.name;
      if (name === undefined)
        throw new ReportRequestError(`no administrative unit had code ${request.unit} in ${request.year}`);
      const items = await sources.readPartition(fundPartition(request.unit));
      // A restricted purpose is named by its campaign, in the words donors gave under.
      const names = new Map<string, { vi: string; en: string }>();
      for (const item of items.keys()) {
        const purpose = item.slice(0, item.lastIndexOf("#"));
        if (!purpose.startsWith("campaign:") || names.has(purpose)) continue;
        const campaign = await sources.readCampaign(purpose.slice("campaign:".length));
        if (campaign !== undefined)
          names.set(purpose, {
            vi: campaign.restrictedPurpose ?? campaign.name.vi,
            en: `${campaign.name.en}: restricted purpose`,
          });
      }
      return disclosureReport({ code: request.unit, name }, request.year, items, (p) => names.get(p));
    }
    default: {
      const unhandled: never = request;
      return unhandled;
    }
  }
};
