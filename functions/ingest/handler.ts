import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createPayments } from "#storage/payments.ts";
import { clients, config, logger, metered, store, systemClock } from "../shared/runtime.ts";
import { ingestHandler } from "./ingest.ts";

export const handler = ingestHandler(
  store,
  logger,
  systemClock,
  createCampaignRegistry(config, clients),
  createPayments(config, clients),
).use(metered);
