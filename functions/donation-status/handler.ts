import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createPayments } from "#storage/payments.ts";
import { clients, config, logger, metered, statusReader } from "../shared/runtime.ts";
import { donationRoutes } from "./dispatch.ts";
import { receiptHandler, settlementFrom } from "./receipt.ts";
import { donationStatusHandler } from "./status.ts";

const campaigns = createCampaignRegistry(config, clients);
const payments = createPayments(config, clients);

/** A pledge's status and its receipt (functions/routes.ts). */
export const handler = donationRoutes(
  donationStatusHandler(statusReader, logger).use(metered),
  receiptHandler(
    { reader: statusReader, campaigns, settlementOf: settlementFrom((id) => payments.receivedOf(id)) },
    logger,
  ).use(metered),
);
