import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { ForbiddenRole } from "#domain/auth-errors.ts";
import {
  fundOfCampaign,
  pledgeMatch,
  type Resolution,
  resolutionEvent,
  resolutionHash,
} from "#domain/bank-transfer.ts";
import { CampaignNotFound } from "#domain/campaign-errors.ts";
import { findDonationCode } from "#domain/donation-code.ts";
import { DonationCodeNotFound, TransferAlreadyResolved, TransferNotFound } from "#domain/payment-errors.ts";
import { decide, permitted } from "#domain/permissions.ts";
import type { Principal } from "#domain/principal.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { TransferResolutionRequest } from "#events/payment.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Payments, ReviewEntry } from "#storage/payments.ts";
import type { Store } from "#storage/store.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, noStore, type StaffDeps } from "../shared/staff.ts";

export type ReviewDeps = StaffDeps & {
  readonly store: Store;
  readonly payments: Payments;
  readonly registry: CampaignReader;
};

/** The review list shows this many transfers at most: resolving them brings up the next ones. */
export const REVIEW_PAGE = 100;

const staffRoute = (deps: ReviewDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().use(httpErrors(deps.log));

const inScope = (deps: ReviewDeps, principal: Principal, entry: ReviewEntry): boolean =>
  decide(
    principal,
    "resolve-transfers",
    entry.fund.unitCode,
    vietnamDayOf(entry.transactionAt),
    deps.isWithin,
  ) === "allowed";

/**
 * `GET /v1/payments/review` (staff): transfers that arrived without a donation code the door knew, not
 * resolved yet, those of the funds in the caller's scope only. One Query of one bounded partition.
 */
export const reviewListHandler = (deps: ReviewDeps) =>
  staffRoute(deps).handler(async (request) => {
    const principal = await deps.authenticate(request);
    if (!permitted["resolve-transfers"].includes(principal.role)) throw new ForbiddenRole();
    const entries = await deps.payments.listReview(REVIEW_PAGE);
    const transfers = entries
      .filter((entry) => inScope(deps, principal, entry))
      .map((entry) => ({
        transferId: entry.transferEventId,
        amountVnd: entry.amountVnd,
        transactionAt: entry.transactionAt,
        content: entry.content,
        accountNumber: entry.accountNumber,
        gateway: entry.gateway,
        reason: entry.reason,
        fund: entry.fund,
      }));
    const answer = json(200, { transfers });
    return { ...answer, headers: { ...answer.headers, ...noStore } };
  });

const Path = z.object({ transferId: z.uuid({ message: "must be a transfer's eventId (a UUID)" }) });

/**
 * What a resolution request means now: the pledge or campaign it names, read from the registries (a
 * 404 or 422 when it names none), and how to finish it once it is recorded as the transfer's resolution.
 */
const resolutionOf = async (
  deps: ReviewDeps,
  transferId: string,
  amountVnd: number,
  body: TransferResolutionRequest,
): Promise<{ normal: TransferResolutionRequest; finish: () => Promise<Resolution> }> => {
  switch (body.kind) {
    case "pledge": {
      const code = findDonationCode(body.donationCode);
      const pledge = code === undefined ? undefined : await deps.payments.pledgeOfCode(code);
      const campaign = pledge && (await deps.registry.read(pledge.campaignId));
      if (code === undefined || pledge === undefined || campaign === undefined)
        throw new DonationCodeNotFound(body.donationCode);
      return {
        // The code as found, so "kh 1234…" and "KH1234…" are one resolution.
        normal: { kind: "pledge", donationCode: code },
        // Counted against the pledge only once this resolution is the transfer's (never for a 409).
        finish: async () => ({
          kind: "matched",
          match: pledgeMatch(
            amountVnd,
            code,
            pledge,
            campaign.definition,
            await deps.payments.settle(code, transferId, amountVnd),
          ),
        }),
      };
    }
    case "campaign": {
      const campaign = await deps.registry.read(body.campaignId);
      if (campaign === undefined) throw new CampaignNotFound(body.campaignId);
      const match = {
        kind: "campaign" as const,
        campaignId: body.campaignId,
        fund: fundOfCampaign(campaign.definition),
      };
      return { normal: body, finish: async () => ({ kind: "matched", match }) };
    }
    case "not-a-donation":
      return { normal: body, finish: async () => ({ kind: "dismissed", note: body.note }) };
  }
};

/**
 * `POST /v1/payments/{transferId}/match` (staff): attributes a transfer on the review list to a pledge
 * (by its donation code) or a campaign, or marks it as not a donation. One resolution per transfer,
 * recorded by a conditional write before its event is queued: the same request again is a retry and
 * answers as the first did; another request is a 409. The transfer leaves the list once its event is queued.
 */
export const resolveTransferHandler = (deps: ReviewDeps) =>
  staffRoute(deps).handler(async (request) => {
    const principal = await deps.authenticate(request);
    const { transferId } = parseParams(request.pathParameters, Path);
    const body = parseJsonBody(request, TransferResolutionRequest);
    const transfer = await deps.payments.readTransfer(transferId.toLowerCase());
    if (transfer === undefined) {
      if ((await deps.store.ledgerHash(transferId.toLowerCase())) !== undefined)
        throw new TransferAlreadyResolved(`transfer ${transferId} was matched when it arrived`);
      throw new TransferNotFound(`no transfer waiting for review has the id ${transferId}`);
    }
    authorize(
      principal,
      "resolve-transfers",
      transfer.fund.unitCode,
      vietnamDayOf(transfer.transactionAt),
      deps.isWithin,
    );
    const { normal, finish } = await resolutionOf(deps, transfer.transferEventId, transfer.amountVnd, body);
    const hash = resolutionHash(normal);
    if (!(await deps.payments.resolve(transfer.transferEventId, hash)))
      throw new TransferAlreadyResolved(`transfer ${transferId} was resolved otherwise already`);
    const event = resolutionEvent(transfer, normal, await finish(), principal, deps.clock.now());
    if ((await deps.store.ledgerHash(event.eventId)) === undefined) await deps.store.enqueue(event);
    await deps.payments.closeReview(transfer.transferEventId);
    return json(202, { eventId: event.eventId });
  });
