import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { json } from "../shared/http.ts";
import { metered, store } from "../shared/runtime.ts";
import { staff } from "../shared/staff-runtime.ts";
import { publicSupportHandler } from "./public.ts";
import { unitFiguresHandler } from "./staff.ts";

const deps = { ...staff, readPartition: (partition: string) => store.readPartition(partition) };
const byRoute = {
  "GET /v1/units/{code}/support": unitFiguresHandler("support")(deps).use(metered),
  "GET /v1/units/{code}/assessments": unitFiguresHandler("assessments")(deps).use(metered),
  "GET /v1/units/{code}/sponsorships": unitFiguresHandler("sponsorships")(deps).use(metered),
  "GET /v1/public/units/{code}/support": publicSupportHandler(deps).use(metered),
} as const;

/** One function for the unit figure routes (functions/routes.ts); the route key picks the handler. */
export const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
  const route = byRoute[event.routeKey as keyof typeof byRoute];
  return route === undefined
    ? json(404, { error: "not_found", message: "no such route" })
    : route(event, context);
};
