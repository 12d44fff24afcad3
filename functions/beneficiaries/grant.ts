import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { CampaignNotFound } from "#domain/campaign-errors.ts";
import { EventIdConflict } from "#domain/errors.ts";
import { supportGrantedFrom } from "#domain/family-commands.ts";
import { fundOfCampaign, generalFund, insufficientRestrictedFunds, isRestricted } from "#domain/funds.ts";
import { vietnamDayOf } from "#domain/time.ts";
import type { FundRef } from "#events/payment.ts";
import { SupportGrantRequest as GrantSchema, type SupportGrantRequest } from "#events/support.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { FundSpending } from "#storage/fund-spending.ts";
import type { Store } from "#storage/store.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

type GrantDeps = StaffDeps & { store: Store; registry: CampaignReader; spending: FundSpending };

/** The fund a grant is paid from: the campaign's fund and purpose (404 if none), or the unit's general fund. */
const fundOf = async (body: SupportGrantRequest, registry: CampaignReader): Promise<FundRef> => {
  if (body.fundedBy.source === "fund") return generalFund(body.unitCode);
  const campaign = await registry.read(body.fundedBy.campaignId);
  if (campaign === undefined) throw new CampaignNotFound(body.fundedBy.campaignId);
  return fundOfCampaign(campaign.definition);
};

const conflict = (eventId: string) =>
  new EventIdConflict(`event ${eventId} was already recorded with other content`);

/**
 * `POST /v1/support`: one lượt of support (docs/assessments.md), paid from a fund the server names in the
 * event. Money from a restricted purpose is committed before the event is enqueued (docs/fund-ledger.md):
 * beyond what the purpose has left it is 422 `insufficient_restricted_funds` with nothing stored or
 * enqueued. A grant already in the ledger is answered again without touching the commitment.
 */
export const supportHandler = (deps: GrantDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const body = parseJsonBody(request, GrantSchema);
      authorize(principal, "record-support", body.unitCode, vietnamDayOf(body.occurredAt), deps.isWithin);
      const fund = await fundOf(body, deps.registry);
      const event = supportGrantedFrom(body, principal, deps.clock, fund);
      const answer = json(202, { eventId: event.eventId });
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined && recorded !== event.source.contentHash) throw conflict(event.eventId);
      if (recorded !== undefined) return answer;
      if (isRestricted(fund.purpose) && event.data.moneyVnd > 0) {
        const { moneyVnd } = event.data;
        const commit = await deps.spending.commit(fund, event.supportId, moneyVnd, event.source.contentHash);
        if (commit.outcome === "conflict") throw conflict(event.eventId);
        if (commit.outcome === "insufficient")
          throw insufficientRestrictedFunds(fund, commit.availableVnd, moneyVnd);
      }
      await deps.store.enqueue(event);
      return answer;
    });
