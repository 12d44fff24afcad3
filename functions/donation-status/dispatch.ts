import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from "aws-lambda";

type Route = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>;

/** The receipt's route key (functions/routes.ts); every other key of this function is the status. */
export const RECEIPT_ROUTE = "GET /v1/donations/{eventId}/receipt";

/**
 * One function serves a pledge's status and its receipt; the route key picks. Shared by the deployed
 * handler and the local pipeline, so the two cannot answer one path differently.
 */
export const donationRoutes =
  (status: Route, receipt: Route): Route =>
  (event, context) =>
    event.routeKey === RECEIPT_ROUTE ? receipt(event, context) : status(event, context);
