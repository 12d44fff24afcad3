import { admitPledge } from "#domain/campaign.ts";
import { type Clock, pledgeFromForm } from "#domain/donation.ts";
import { EventIdConflict } from "#domain/errors.ts";
import { pledgeVietQr } from "#domain/vietqr.ts";
import { DonationForm } from "#events/donation.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Log } from "#storage/log.ts";
import type { Payments } from "#storage/payments.ts";
import type { Store } from "#storage/store.ts";
import { json, parseJsonBody, publicRoute } from "../shared/http.ts";

/**
 * `POST /v1/donations`: validate a web-form pledge and queue it; the projector counts it.
 * A retry with the same eventId and content is accepted again without queueing a second copy;
 * the same eventId with other content already in the ledger is a 409 (README: which request wins).
 * The campaign decides first, on one strongly consistent read of its registry item: unknown is a 404,
 * closed or outside its window or its units a 422, and nothing of a refused pledge is stored or queued.
 * An accepted pledge's donation code is written before the pledge is queued (one conditional write), so
 * a transfer naming the code finds its pledge even before the pledge is projected (docs/payments.md).
 */
export const ingestHandler = (
  store: Store,
  log: Log,
  clock: Clock,
  campaigns: CampaignReader,
  codes: Pick<Payments, "claimCode">,
) =>
  publicRoute(log).handler(async (request) => {
    const form = parseJsonBody(request, DonationForm);
    const pledge = pledgeFromForm(form, clock);
    const campaign = await campaigns.read(pledge.campaignId);
    admitPledge(pledge.campaignId, campaign, pledge);
    const recorded = form.eventId === undefined ? undefined : await store.ledgerHash(pledge.eventId);
    if (recorded !== undefined && recorded !== pledge.source.contentHash) {
      throw new EventIdConflict(`eventId ${pledge.eventId} was already used for a different donation`);
    }
    const { contribution } = pledge.data;
    const donationCode = await codes.claimCode({
      eventId: pledge.eventId,
      campaignId: pledge.campaignId,
      unitCode: pledge.unitCode,
      amountVnd: contribution.kind === "money" ? contribution.amountVnd : 0,
    });
    if (recorded === undefined) await store.enqueue(pledge);
    // The receipt names this content: GET /v1/donations/{eventId}?receipt=… says whether it is the
    // content counted under the eventId (two posts racing with one id both get 202; one wins).
    // The donation code is what a donor types into a bank transfer's note (checked, case- and
    // separator-tolerant): the one written above, derived from the eventId, so a retry gets it again.
    // Admitted, so the campaign exists: its bank account (if any) receives the transfer.
    const vietQr = campaign && pledgeVietQr(campaign.definition, pledge.data.contribution, donationCode);
    return json(202, {
      eventId: pledge.eventId,
      receipt: pledge.source.contentHash,
      donationCode,
      ...(vietQr === undefined ? {} : { vietQr }),
    });
  });
