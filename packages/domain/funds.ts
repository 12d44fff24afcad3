import type { CampaignDefinition } from "#events/campaign.ts";
import type { FundPurpose, FundRef } from "#events/payment.ts";
import type { GrantFacts } from "#events/support.ts";
import { InsufficientRestrictedFunds } from "./fund-errors.ts";

/**
 * Which fund money belongs to and which it is paid from (docs/fund-ledger.md). Pure: the routes read the
 * campaign from the registry and call these, so the events carry the fund and the fold looks nothing up.
 */

/** The unrestricted purpose of a fund. */
export const GENERAL: FundPurpose = "general";

/** The restricted purpose of a campaign: money given to it may be spent on it only. */
export const campaignPurpose = (campaignId: string): FundPurpose => `campaign:${campaignId}`;

/** Whether money of this purpose may be spent only on it (a restricted campaign's). */
export const isRestricted = (purpose: FundPurpose): boolean => purpose !== GENERAL;

/** The general fund of a unit's association (a commune, a province, or `VN`). */
export const generalFund = (unitCode: string): FundRef => ({ unitCode, purpose: GENERAL });

/**
 * The fund of a campaign: its `fundUnit`, else its single covered unit, else the central association;
 * the purpose is the campaign's own when it has a restricted purpose, else the fund's general purpose.
 */
export const fundOfCampaign = (
  definition: Pick<CampaignDefinition, "id" | "fundUnit" | "units" | "restrictedPurpose">,
): FundRef => {
  const [only, ...others] = definition.units;
  const unitCode = definition.fundUnit ?? (only !== undefined && others.length === 0 ? only : "VN");
  return {
    unitCode,
    purpose: definition.restrictedPurpose === undefined ? GENERAL : campaignPurpose(definition.id),
  };
};

/**
 * The fund a grant was paid from: the one the server filled in, or, for grants recorded before it did,
 * the general fund of the grant's unit.
 */
export const fundOfGrant = (grant: Pick<GrantFacts, "fundedBy" | "unitCode">): FundRef =>
  grant.fundedBy.fund ?? generalFund(grant.unitCode);

/** What a restricted purpose may still pay: what it received less what grants already committed. */
export const availableVnd = (receivedVnd: number, committedVnd: number): number =>
  Math.max(0, receivedVnd - committedVnd);

/** The 422 of a grant beyond the money its restricted purpose has left, naming the amount available. */
export const insufficientRestrictedFunds = (
  fund: FundRef,
  available: number,
  wanted: number,
): InsufficientRestrictedFunds => {
  const vnd = (n: number) => `${n.toLocaleString("en-US")} VND`;
  const message =
    `the restricted purpose ${fund.purpose} of fund ${fund.unitCode} has ${vnd(available)} available; ` +
    `this grant pays ${vnd(wanted)}`;
  return new InsufficientRestrictedFunds(message, [
    { path: "moneyVnd", message, code: "insufficient_restricted_funds" },
  ]);
};
