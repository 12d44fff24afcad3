import { timingSafeEqual } from "node:crypto";
import type { APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { normalEventId } from "#domain/donation.ts";
import { donationCodeOf } from "#domain/donation-code.ts";
import { NotFound, ValidationFailed } from "#domain/errors.ts";
import { receiptOf, type Settlement } from "#domain/receipt.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Log } from "#storage/log.ts";
import type { StatusReader } from "#storage/status-reader.ts";
import { issuesOf, publicRoute } from "../shared/http.ts";
import { renderReceiptPdf } from "./receipt-pdf.ts";

const EventIdParameter = z.uuid({ message: "must be a UUID" });

/** A receipt token is the pledge's content hash: 64 hex digits. */
const TOKEN = /^[0-9a-fA-F]{64}$/;

/**
 * Whether the token the client holds is the content hash the ledger recorded, compared in constant time
 * so the answer's timing tells nothing of how much of a guess was right.
 */
const tokenMatches = (token: string | undefined, contentHash: string): boolean => {
  if (token === undefined || !TOKEN.test(token)) return false;
  const given = Buffer.from(token.toLowerCase(), "utf8");
  const recorded = Buffer.from(contentHash, "utf8");
  return given.length === recorded.length && timingSafeEqual(given, recorded);
};

/** How far a pledge's money has come, as the receipt states it. */
export type SettlementOf = (eventId: string) => Promise<Settlement>;

/** Every receipt says pledged: for pipelines without the bank-transfer door (the chaos drill's). */
export const pledgedOnly: SettlementOf = async () => ({ state: "pledged" });

/**
 * Received once transfers matched to the pledge brought money in (the running total the bank-transfer
 * door keeps on the pledge's code item, docs/payments.md), else pledged.
 */
export const settlementFrom =
  (receivedOf: (eventId: string) => Promise<number | undefined>): SettlementOf =>
  async (eventId) => {
    const received = await receivedOf(eventId);
    return received !== undefined && received > 0
      ? { state: "received", amountVnd: received }
      : { state: "pledged" };
  };

export interface ReceiptDeps {
  readonly reader: StatusReader;
  readonly campaigns: CampaignReader;
  readonly settlementOf: SettlementOf;
}

/**
 * `GET /v1/donations/{eventId}/receipt?receipt=…`: the donor's receipt as a PDF in Vietnamese. The token
 * is the `receipt` the 202 answer returned; a wrong or missing one is answered exactly as an unknown
 * eventId is, a 404, so nobody can learn which ids exist. A pledge is in the ledger once the projector
 * has taken it off the queue: until then the receipt is a 404 too.
 */
export const receiptHandler = (deps: ReceiptDeps, log: Log) =>
  publicRoute(log).handler(async (request): Promise<APIGatewayProxyResultV2> => {
    const parsed = EventIdParameter.safeParse(request.pathParameters?.eventId);
    if (!parsed.success) {
      throw new ValidationFailed(
        "the eventId is not valid",
        issuesOf(parsed.error).map((i) => ({ ...i, path: "eventId" })),
      );
    }
    const eventId = normalEventId(parsed.data);
    const record = await deps.reader.ledgerRecord(eventId);
    const token = request.queryStringParameters?.receipt;
    const pledge = record?.event?.type === "DonationPledged" ? record.event : undefined;
    if (record === undefined || pledge === undefined || !tokenMatches(token, record.contentHash)) {
      throw new NotFound(
        `no receipt for ${eventId} with this receipt token: check the token the pledge's answer gave; ` +
          "a pledge answered 202 moments ago may still be on its way to the ledger",
      );
    }
    const [campaign, settlement] = await Promise.all([
      deps.campaigns.read(pledge.campaignId),
      deps.settlementOf(eventId),
    ]);
    // The door admitted the pledge against this registry item, and registry items are never deleted.
    if (campaign === undefined) throw new Error(`campaign ${pledge.campaignId} of ${eventId} is missing`);
    const pdf = await renderReceiptPdf(receiptOf(pledge, campaign.definition, settlement));
    return {
      statusCode: 200,
      headers: {
        "content-type": "application/pdf",
        "content-disposition": `inline; filename="bien-nhan-${donationCodeOf(eventId)}.pdf"`,
        // The receipt names the donor: no shared cache may keep it.
        "cache-control": "private, no-store",
      },
      body: pdf.toString("base64"),
      isBase64Encoded: true,
    };
  });
