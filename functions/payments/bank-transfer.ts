import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import {
  bankTransferReceived,
  bankTransferSent,
  CENTRAL_FUND,
  pledgeMatch,
  transferEventId,
  transferFactsOf,
} from "#domain/bank-transfer.ts";
import type { Clock } from "#domain/donation.ts";
import { donationCodesIn } from "#domain/donation-code.ts";
import { InvalidSignature, PayloadTooLarge } from "#domain/errors.ts";
import { isAuthentic, SIGNATURE_HEADER, TIMESTAMP_HEADER } from "#domain/webhook-signature.ts";
import { BankTransferNotification } from "#events/bank-transfer.ts";
import type { TransferFacts, TransferMatch } from "#events/payment.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Log } from "#storage/log.ts";
import type { Payments } from "#storage/payments.ts";
import type { Store } from "#storage/store.ts";
import { httpErrors, json, MAX_BODY_BYTES, parseJsonBody } from "../shared/http.ts";

export interface BankTransferDeps {
  readonly store: Store;
  readonly log: Log;
  readonly clock: Clock;
  readonly campaigns: CampaignReader;
  readonly payments: Payments;
  /** The notifier's shared secret (read once per container). */
  readonly secret: () => Promise<string>;
}

/** The body's bytes exactly as they came: what the notifier signed. */
const rawBytesOf = (event: APIGatewayProxyEventV2): Buffer => {
  const body = event.body ?? "";
  const bytes = event.isBase64Encoded ? Buffer.from(body, "base64") : Buffer.from(body, "utf8");
  if (bytes.length > MAX_BODY_BYTES)
    throw new PayloadTooLarge(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  return bytes;
};

/** A note names few codes; more is noise, and each costs a read. */
const MAX_CODES_TRIED = 3;

/**
 * Which pledge the note names, through a donation code in it (the first that names a pledge, of the
 * first few found); unmatched when it holds none, or only codes the door never issued.
 */
const matchOf = async (facts: TransferFacts, deps: BankTransferDeps): Promise<TransferMatch> => {
  const codes = donationCodesIn(facts.content).slice(0, MAX_CODES_TRIED);
  for (const code of codes) {
    const pledge = await deps.payments.pledgeOfCode(code);
    const campaign = pledge && (await deps.campaigns.read(pledge.campaignId));
    if (pledge !== undefined && campaign !== undefined) {
      const eventId = transferEventId(facts.gateway, facts.notifierId);
      const before = await deps.payments.settle(code, eventId, facts.amountVnd);
      return pledgeMatch(facts.amountVnd, code, pledge, campaign.definition, before);
    }
  }
  return { kind: "unmatched", reason: codes.length === 0 ? "no-code" : "unknown-code", fund: CENTRAL_FUND };
};

/** What the notifier (or a person testing) reads back: the event and how it was attributed. */
const answerOf = (eventId: string, match: TransferMatch | undefined) =>
  json(200, {
    eventId,
    matched: match === undefined ? "outgoing" : match.kind,
    ...(match?.kind === "pledge" ? { outcome: match.outcome } : {}),
  });

/**
 * `POST /v1/payments/bank-transfer`: a bank-transfer notifier reports money in or out of an account.
 * Authenticated before anything is read: the HMAC of `<timestamp>.<raw body>` with the shared secret,
 * compared in constant time, within ±5 minutes; anything else is a 401 and nothing is recorded.
 * The eventId derives from the notifier's gateway and id, so its retries answer 200 and count once.
 * Incoming money is matched to a pledge by the donation code in its note; an unmatched transfer goes
 * on the review list for staff (docs/payments.md). A 200 is the notifier's cue to stop retrying, so it
 * is answered only once the event is queued.
 */
export const bankTransferHandler = (deps: BankTransferDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const raw = rawBytesOf(request);
      const headers = request.headers ?? {};
      const authentic = isAuthentic(
        await deps.secret(),
        headers[TIMESTAMP_HEADER],
        headers[SIGNATURE_HEADER],
        raw,
        deps.clock.now().getTime(),
      );
      if (!authentic) throw new InvalidSignature();
      const notification = parseJsonBody(request, BankTransferNotification);
      const facts = transferFactsOf(notification);
      const now = deps.clock.now();
      const match = notification.transferType === "in" ? await matchOf(facts, deps) : undefined;
      const event =
        match === undefined
          ? bankTransferSent(facts, CENTRAL_FUND, now)
          : bankTransferReceived(facts, match, now);
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined) {
        // The notifier's retry of a transfer already counted; other facts under its id are its mistake,
        // and refusing would only make it retry forever, so the first report stands.
        if (recorded !== event.source.contentHash)
          deps.log.warn("a notifier reported other facts under an id already recorded", {
            eventId: event.eventId,
          });
        return answerOf(event.eventId, match);
      }
      if (match?.kind === "unmatched")
        await deps.payments.openReview({
          transferEventId: event.eventId,
          amountVnd: facts.amountVnd,
          transactionAt: facts.transactionAt,
          fund: match.fund,
          reason: match.reason,
          gateway: facts.gateway,
          accountNumber: facts.accountNumber,
          content: facts.content,
          recordedAt: event.recordedAt,
        });
      await deps.store.enqueue(event);
      return answerOf(event.eventId, match);
    });
