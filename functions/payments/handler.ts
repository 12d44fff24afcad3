import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createPayments } from "#storage/payments.ts";
import { clients, config, logger, metered, store, systemClock } from "../shared/runtime.ts";
import { bankTransferHandler } from "./bank-transfer.ts";
import { webhookSecretFrom } from "./secret.ts";

/** `POST /v1/payments/bank-transfer`: the public door of the bank-transfer notifier. */
export const handler = bankTransferHandler({
  store,
  log: logger,
  clock: systemClock,
  campaigns: createCampaignRegistry(config, clients),
  payments: createPayments(config, clients),
  secret: webhookSecretFrom(),
}).use(metered);
