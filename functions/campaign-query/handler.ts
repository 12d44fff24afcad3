import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { json } from "../shared/http.ts";
import { clients, config, logger, metered, store, systemClock } from "../shared/runtime.ts";
import { fundDisclosureHandler } from "./funds.ts";
import { campaignQueryHandler } from "./query.ts";

const registry = createCampaignRegistry(config, clients);
const byRoute = {
  "GET /v1/campaigns/{campaignId}": campaignQueryHandler(store, logger, registry).use(metered),
  "GET /v1/public/funds/{code}": fundDisclosureHandler(store, logger, registry, systemClock).use(metered),
} as const;

/** The public read routes of campaigns and funds (functions/routes.ts); the route key picks the handler. */
export const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
  const route = byRoute[event.routeKey as keyof typeof byRoute];
  return route === undefined
    ? json(404, { error: "not_found", message: "no such route" })
    : route(event, context);
};
