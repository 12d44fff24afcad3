import { doReadNumber, ReadingConfig } from "read-vietnamese-number";
import type { CampaignDefinition } from "#events/campaign.ts";
import type { DonationPledged } from "#events/donation.ts";
import { donationCodeOf } from "./donation-code.ts";
import { vietnamDayOf } from "./time.ts";
import { unitOn } from "./units.ts";

/** What the public reads instead of the donor's name when the donor asked to stay anonymous. */
export const ANONYMOUS_DONOR = "Nhà hảo tâm";

/**
 * How far the money behind a receipt has come: pledged, or received with what arrived (the transfers
 * matched to the pledge so far) and, when known, the day it arrived (else the receipt keeps the pledge's).
 */
export type Settlement =
  | { readonly state: "pledged" }
  | { readonly state: "received"; readonly amountVnd: number; readonly day?: string };

/** Everything a receipt prints, in Vietnamese, already worded: the PDF only lays it out. */
export interface ReceiptContent {
  /** The receipt number: the pledge's donation code, the one the donor typed into the transfer. */
  readonly number: string;
  /** The association that receives the gift: "Hội Khuyến học" and its fund's unit. */
  readonly association: string;
  readonly donor: string;
  /** Money given, or the VND value goods were given at. */
  readonly amountVnd: number;
  /** The amount as Vietnamese write it: `1.500.000 đ`. */
  readonly amountFigures: string;
  /** The amount in words, capitalised: `Một triệu năm trăm nghìn đồng`. */
  readonly amountWords: string;
  /** Goods given, when the gift is in kind. */
  readonly goods?: string;
  readonly campaign: string;
  readonly restrictedPurpose?: string;
  /** The day given, in Asia/Ho_Chi_Minh, written `dd/mm/yyyy`. */
  readonly day: string;
  /** `Đã cam kết` (pledged) or `Đã nhận` (received). */
  readonly state: string;
}

/** `1500000` → `1.500.000 đ`: Vietnamese group thousands with dots. */
export const vndInFigures = (amountVnd: number): string =>
  `${String(amountVnd).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;

const words = new ReadingConfig();
words.unit = ["đồng"];

/** `1500000` → `Một triệu năm trăm nghìn đồng`, read by `read-vietnamese-number`. */
export const vndInWords = (amountVnd: number): string => {
  const text = doReadNumber(String(amountVnd), words);
  return text.charAt(0).toLocaleUpperCase("vi") + text.slice(1);
};

/** `2026-09-05` → `05/09/2026`, as a Vietnamese form writes a date. */
const vietnameseDate = (day: string): string => day.split("-").reverse().join("/");

/**
 * The fund's unit a campaign's money goes to (events/campaign.ts): its `fundUnit`, else its single
 * covered unit, else the national association.
 */
export const fundUnitOf = (campaign: Pick<CampaignDefinition, "fundUnit" | "units">): string =>
  campaign.fundUnit ?? (campaign.units.length === 1 ? (campaign.units[0] ?? "VN") : "VN");

/**
 * `Tỉnh Lào Cai` → `Hội Khuyến học tỉnh Lào Cai` (the unit's kind in lower case inside a name), `Việt
 * Nam` → `Hội Khuyến học Việt Nam`; an unknown code leaves the association unnamed.
 */
const associationOf = (unitCode: string, day: string): string => {
  const unit = unitOn(unitCode, day);
  if (unit === undefined) return "Hội Khuyến học";
  if (unit.level === "nation") return `Hội Khuyến học ${unit.name}`;
  return `Hội Khuyến học ${unit.name.charAt(0).toLocaleLowerCase("vi")}${unit.name.slice(1)}`;
};

/** What the receipt of a pledge says, from the pledge, its campaign and how far its money has come. */
export const receiptOf = (
  pledge: DonationPledged,
  campaign: CampaignDefinition,
  settlement: Settlement,
): ReceiptContent => {
  const day = vietnamDayOf(pledge.occurredAt);
  const { donor, contribution } = pledge.data;
  const amountVnd =
    settlement.state === "received"
      ? settlement.amountVnd
      : contribution.kind === "money"
        ? contribution.amountVnd
        : contribution.valuationVnd;
  return {
    number: donationCodeOf(pledge.eventId),
    association: associationOf(fundUnitOf(campaign), day),
    donor: donor.anonymous ? ANONYMOUS_DONOR : donor.name,
    amountVnd,
    amountFigures: vndInFigures(amountVnd),
    amountWords: vndInWords(amountVnd),
    ...(contribution.kind === "in-kind" ? { goods: contribution.description } : {}),
    campaign: campaign.name.vi,
    ...(campaign.restrictedPurpose === undefined ? {} : { restrictedPurpose: campaign.restrictedPurpose }),
    day: vietnameseDate(settlement.state === "received" ? (settlement.day ?? day) : day),
    state: settlement.state === "received" ? "Đã nhận" : "Đã cam kết ủng hộ, chưa xác nhận đã nhận",
  };
};
