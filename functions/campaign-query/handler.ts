import { createCampaignRegistry } from "#storage/campaigns.ts";
import { clients, config, logger, metered, store } from "../shared/runtime.ts";
import { campaignQueryHandler } from "./query.ts";

export const handler = campaignQueryHandler(store, logger, createCampaignRegistry(config, clients)).use(
  metered,
);
