import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { clients, config, logger, metered, statusReader } from "../shared/runtime.ts";
import { pledgedOnly, receiptHandler } from "./receipt.ts";
import { donationStatusHandler } from "./status.ts";

const status = donationStatusHandler(statusReader, logger).use(metered);
const receipt = receiptHandler(
  { reader: statusReader, campaigns: createCampaignRegistry(config, clients), settlementOf: pledgedOnly },
  logger,
).use(metered);

/** One function for a pledge's status and its receipt (functions/routes.ts); the route key picks. */
export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.routeKey === "GET /v1/donations/{eventId}/receipt" ? receipt(event, context) : status(event, context);
