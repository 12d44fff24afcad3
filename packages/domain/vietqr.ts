import { QRPay } from "vietnam-qr-pay";
import type { BankAccount, CampaignDefinition } from "#events/campaign.ts";
import type { DonationPledged } from "#events/donation.ts";

/**
 * The VietQR payload (NAPAS's profile of EMVCo merchant-presented QR) a banking app reads to fill in a
 * transfer: the campaign's account, the amount in VND, and the donation code as the transfer's note, so
 * the bank-transfer notification that follows carries the code back. Built with `vietnam-qr-pay`, which
 * also computes the CRC; the note is the code alone, since EMVCo allows 25 characters there and banks
 * append their own words to it.
 */
export const vietQrPayload = (account: BankAccount, amountVnd: number, donationCode: string): string =>
  QRPay.initVietQR({
    bankBin: account.bankBin,
    bankNumber: account.accountNumber,
    amount: String(amountVnd),
    purpose: donationCode,
  }).build();

/**
 * The payload for a pledge's answer: only money can be transferred, and only to a campaign that names a
 * bank account; undefined otherwise (goods are handed over, not transferred).
 */
export const pledgeVietQr = (
  campaign: Pick<CampaignDefinition, "bankAccount">,
  contribution: DonationPledged["data"]["contribution"],
  donationCode: string,
): string | undefined =>
  contribution.kind === "money" && campaign.bankAccount !== undefined
    ? vietQrPayload(campaign.bankAccount, contribution.amountVnd, donationCode)
    : undefined;
