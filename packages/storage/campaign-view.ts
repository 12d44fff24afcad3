import type { CampaignView } from "#domain/projection.ts";
import { campaignPartition, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
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
