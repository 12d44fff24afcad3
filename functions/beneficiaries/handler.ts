import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createFundSpending } from "#storage/fund-spending.ts";
import { createPayments } from "#storage/payments.ts";
import { createSponsorshipSlots, sponsorshipMaxFrom } from "#storage/sponsorship-slots.ts";
import { createLedgerReader } from "#storage/support-reader.ts";
import { closeCampaignHandler, defineCampaignHandler, updateCampaignHandler } from "../campaigns/commands.ts";
import { resolveTransferHandler, reviewListHandler } from "../payments/review.ts";
import { json } from "../shared/http.ts";
import { clients, config, metered, store } from "../shared/runtime.ts";
import { openVault, staff } from "../shared/staff-runtime.ts";
import { correctionHandler, revocationHandler } from "./amend-support.ts";
import { eraseHandler } from "./erase.ts";
import { supportHandler } from "./grant.ts";
import { readHandler } from "./read.ts";
import { cashReceiptHandler, goodsReceiptHandler, reversalHandler } from "./receipts.ts";
import { assessmentRegistrationHandler, assessmentResultHandler } from "./record.ts";
import { registerHandler } from "./register.ts";
import { endHandler, startHandler } from "./sponsorships.ts";

const deps = {
  ...staff,
  store,
  vault: openVault(),
  ledger: createLedgerReader(config, clients),
  slots: createSponsorshipSlots(config, clients, sponsorshipMaxFrom()),
  registry: createCampaignRegistry(config, clients),
  payments: createPayments(config, clients),
  spending: createFundSpending(config, clients),
};
const byRoute = {
  "POST /v1/beneficiaries": registerHandler(deps).use(metered),
  "GET /v1/beneficiaries/{beneficiaryId}": readHandler(deps).use(metered),
  "DELETE /v1/beneficiaries/{beneficiaryId}/personal-data": eraseHandler(deps).use(metered),
  "POST /v1/support": supportHandler(deps).use(metered),
  "POST /v1/support/{supportId}/corrections": correctionHandler(deps).use(metered),
  "POST /v1/support/{supportId}/revocations": revocationHandler(deps).use(metered),
  "POST /v1/sponsorships": startHandler(deps).use(metered),
  "POST /v1/sponsorships/{sponsorshipId}/end": endHandler(deps).use(metered),
  "POST /v1/assessments/registrations": assessmentRegistrationHandler(deps).use(metered),
  "POST /v1/assessments/results": assessmentResultHandler(deps).use(metered),
  "POST /v1/campaigns": defineCampaignHandler(deps).use(metered),
  "POST /v1/campaigns/{campaignId}/updates": updateCampaignHandler(deps).use(metered),
  "POST /v1/campaigns/{campaignId}/close": closeCampaignHandler(deps).use(metered),
  "GET /v1/payments/review": reviewListHandler(deps).use(metered),
  "POST /v1/payments/{transferId}/match": resolveTransferHandler(deps).use(metered),
  "POST /v1/receipts/cash": cashReceiptHandler(deps).use(metered),
  "POST /v1/receipts/goods": goodsReceiptHandler(deps).use(metered),
  "POST /v1/receipts/{eventId}/reversals": reversalHandler(deps).use(metered),
} as const;

/** One function for the beneficiary routes (functions/routes.ts); the route key picks the handler. */
export const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
  const route = byRoute[event.routeKey as keyof typeof byRoute];
  return route === undefined
    ? json(404, { error: "not_found", message: "no such route" })
    : route(event, context);
};
