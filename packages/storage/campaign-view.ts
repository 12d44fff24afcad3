import type { CampaignView, Totals } from "#domain/projection.ts";
import { campaignPartition, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
import { campaignReceivedOf } from "#domain/projections/fund-ledger.ts";
import type { Store } from "./store.ts";

/**
 * A campaign's dashboard as the projection holds it: one Query of its partition, in the given projection
 * version (the configured one by default).
 */
export const readCampaignView = async (
  store: Pick<Store, "readPartition">,
  campaignId: string,
  version?: number,
): Promise<CampaignView> =>
  campaignViewOf(campaignId, await store.readPartition(campaignPartition(campaignId), version));

/**
 * The dashboard with what arrived beside what was pledged: both from the same single Query of the
 * campaign's partition (the fund ledger adds its `received` item there).
 */
export const readCampaignDashboard = async (
  store: Pick<Store, "readPartition">,
  campaignId: string,
  version?: number,
): Promise<CampaignView & { readonly received: Totals }> => {
  const items = await store.readPartition(campaignPartition(campaignId), version);
  return { ...campaignViewOf(campaignId, items), received: campaignReceivedOf(items) };
};
