import { fulfilmentOf, progressOf } from "#domain/campaign.ts";
import { CampaignNotFound } from "#domain/campaign-errors.ts";
import { ValidationFailed } from "#domain/errors.ts";
import { CampaignId } from "#events/envelope.ts";
import { readCampaignDashboard } from "#storage/campaign-view.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Log } from "#storage/log.ts";
import type { Store } from "#storage/store.ts";
import { issuesOf, json, publicRoute } from "../shared/http.ts";

/**
 * `GET /v1/campaigns/{campaignId}`: the campaign's definition (names, kind, window, goals, units), its
 * pledged totals by day and by administrative unit, progress against its goals, what was received
 * (transfers, cash and goods, less reversals) and how much of the pledged value that is. One GetItem of its
 * registry item and one Query over its few projection items, whatever the number of events; the two run
 * together. A campaign with no pledges yet reads as zeros; one never defined is a 404.
 */
export const campaignQueryHandler = (store: Store, log: Log, campaigns: CampaignReader) =>
  publicRoute(log).handler(async (request) => {
    const parsed = CampaignId.safeParse(request.pathParameters?.campaignId);
    if (!parsed.success) {
      throw new ValidationFailed(
        "the campaign id is not valid",
        issuesOf(parsed.error).map((i) => ({ ...i, path: "campaignId" })),
      );
    }
    const [campaign, view] = await Promise.all([
      campaigns.read(parsed.data),
      readCampaignDashboard(store, parsed.data),
    ]);
    if (campaign === undefined) throw new CampaignNotFound(parsed.data);
    const { id: _id, ...definition } = campaign.definition;
    const body = {
      campaignId: view.campaignId,
      ...definition,
      ...(campaign.closedAt === undefined ? {} : { closedAt: campaign.closedAt }),
      progress: progressOf(campaign.definition, view.pledged),
      pledged: view.pledged,
      received: view.received,
      fulfilment: fulfilmentOf(view.pledged, view.received),
      byDay: view.byDay,
      byUnit: view.byUnit,
    };
    return {
      ...json(200, body),
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "max-age=5" },
    };
  });
