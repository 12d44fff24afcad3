import { ValidationFailed } from "#domain/errors.ts";
import { CampaignId } from "#events/envelope.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import type { Log } from "#storage/log.ts";
import type { Store } from "#storage/store.ts";
import { issuesOf, json, publicRoute } from "../shared/http.ts";

/**
 * `GET /v1/campaigns/{campaignId}`: pledged totals, by day and by administrative unit. One Query over the
 * campaign's few shard items, whatever the number of events. A campaign with no pledges yet reads as zeros.
 */
export const campaignQueryHandler = (store: Store, log: Log) =>
  publicRoute(log).handler(async (request) => {
    const parsed = CampaignId.safeParse(request.pathParameters?.campaignId);
    if (!parsed.success) {
      throw new ValidationFailed(
        "the campaign id is not valid",
        issuesOf(parsed.error).map((i) => ({ ...i, path: "campaignId" })),
      );
    }
    const view = await readCampaignView(store, parsed.data);
    return {
      ...json(200, view),
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "max-age=5" },
    };
  });
