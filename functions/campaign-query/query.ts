import middy from "@middy/core";
import httpCors from "@middy/http-cors";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { ValidationFailed } from "#domain/errors.ts";
import { mergeDeltas } from "#domain/projection.ts";
import { CampaignId } from "#events/envelope.ts";
import type { Log } from "#storage/log.ts";
import type { Store } from "#storage/store.ts";
import { cors } from "../routes.ts";
import { httpErrors, issuesOf, json } from "../shared/http.ts";

/**
 * `GET /v1/campaigns/{campaignId}`: pledged totals, by day and by administrative unit. One Query over the
 * campaign's few shard items, whatever the number of events. A campaign with no pledges yet reads as zeros.
 */
export const campaignQueryHandler = (store: Store, log: Log) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(
      httpCors({
        origins: [...cors.allowOrigins],
        methods: cors.allowMethods.join(","),
        exposeHeaders: cors.exposeHeaders.join(","),
      }),
    )
    .use(httpErrors(log))
    .handler(async (request) => {
      const parsed = CampaignId.safeParse(request.pathParameters?.campaignId);
      if (!parsed.success) {
        throw new ValidationFailed(
          "the campaign id is not valid",
          issuesOf(parsed.error).map((i) => ({ ...i, path: "campaignId" })),
        );
      }
      const view = mergeDeltas(parsed.data, await store.readCampaignShards(parsed.data));
      return {
        ...json(200, view),
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "max-age=5" },
      };
    });
