import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { CampaignNotFound } from "#domain/campaign-errors.ts";
import type { Clock } from "#domain/donation.ts";
import { EventIdConflict, NotFound } from "#domain/errors.ts";
import { IncomeAlreadyReversed } from "#domain/fund-errors.ts";
import { fundOfCampaign, generalFund } from "#domain/funds.ts";
import type { Principal } from "#domain/principal.ts";
import { cashReceivedFrom, goodsReceivedFrom, incomeReversedFrom } from "#domain/receipts.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { DomainEvent } from "#events/index.ts";
import {
  CashReceiptRequest,
  type CashReceived,
  type FundRef,
  GoodsReceiptRequest,
  type GoodsReceived,
  IncomeReversalRequest,
} from "#events/payment.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Store } from "#storage/store.ts";
import type { LedgerReader } from "#storage/support-reader.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

type ReceiptDeps = StaffDeps & { store: Store; registry: CampaignReader };

/**
 * A staff receipt of cash or goods: signed in, scoped to the receiving unit on its date, the fund named
 * (the campaign's, 404 `campaign_not_found` for none, or the unit's general fund), then the queue. The
 * answer carries the receipt number staff write on the paper receipt; a retry with the same receiptId
 * and content answers the same number, other content under it is a 409.
 */
const receiptHandler =
  <B extends CashReceiptRequest | GoodsReceiptRequest>(
    schema: z.ZodType<B>,
    toEvent: (body: B, fund: FundRef, principal: Principal, clock: Clock) => CashReceived | GoodsReceived,
  ) =>
  (deps: ReceiptDeps) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(httpErrors(deps.log))
      .handler(async (request) => {
        const principal = await deps.authenticate(request);
        const body = parseJsonBody(request, schema);
        authorize(principal, "record-income", body.unitCode, vietnamDayOf(body.occurredAt), deps.isWithin);
        let fund = generalFund(body.unitCode);
        if (body.campaignId !== undefined) {
          const campaign = await deps.registry.read(body.campaignId);
          if (campaign === undefined) throw new CampaignNotFound(body.campaignId);
          fund = fundOfCampaign(campaign.definition);
        }
        const event = toEvent(body, fund, principal, deps.clock);
        const recorded = await deps.store.ledgerHash(event.eventId);
        if (recorded !== undefined && recorded !== event.source.contentHash)
          throw new EventIdConflict(`event ${event.eventId} was already recorded with other content`);
        if (recorded === undefined) await deps.store.enqueue(event);
        return json(202, { eventId: event.eventId, receiptNumber: event.receiptNumber });
      });

/** `POST /v1/receipts/cash`: cash counted by staff (a piggy bank opened, a collection). */
export const cashReceiptHandler = receiptHandler(CashReceiptRequest, cashReceivedFrom);

/** `POST /v1/receipts/goods`: goods received, with their valuation and who valued them. */
export const goodsReceiptHandler = receiptHandler(GoodsReceiptRequest, goodsReceivedFrom);

const Params = z.object({ eventId: z.uuid({ message: "must be a UUID" }) });

/**
 * `POST /v1/receipts/{eventId}/reversals`: income given back or reversed by the bank. The income is read
 * from the ledger (404 while it is not there), the caller must hold its unit on its date, and the
 * reversal restates it so the fold takes back exactly what was counted. Income is reversed once: a retry
 * answers as before, another reversal of the same event is 409 `income_reversed`.
 */
export const reversalHandler = (deps: StaffDeps & { store: Store; ledger: LedgerReader }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const { eventId } = parseParams(request.pathParameters, Params);
      const body = parseJsonBody(request, IncomeReversalRequest);
      const row = await deps.ledger.recorded(eventId);
      if (row === undefined) throw new NotFound(`no recorded income ${eventId}`);
      const original = DomainEvent.parse(row.event);
      authorize(
        principal,
        "record-income",
        original.unitCode,
        vietnamDayOf(original.occurredAt),
        deps.isWithin,
      );
      const event = incomeReversedFrom(original, body, principal, deps.clock);
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined && recorded !== event.source.contentHash)
        throw new IncomeAlreadyReversed(`income ${eventId} was already reversed`);
      if (recorded === undefined) await deps.store.enqueue(event);
      return json(202, { eventId: event.eventId, reversedEventId: eventId });
    });
