import type { CampaignAnswer } from "./campaign-view.ts";

/** A campaign as the build lists it: which units it covers (`VN`, provinces, communes). */
export interface CoveringCampaign {
  readonly id: string;
  readonly units: readonly string[];
}

/** The province of a commune, from the build's unit list; undefined for a province or `VN`. */
export type ParentOf = (code: string) => string | undefined;

/** Whether a campaign takes pledges in a unit, or in some commune of it: the dashboard's campaigns. */
export const coversUnit = (campaign: CoveringCampaign, unit: string, parentOf: ParentOf): boolean => {
  if (unit === "VN") return true;
  const province = parentOf(unit) ?? unit;
  return campaign.units.some((u) => u === "VN" || u === unit || u === province || parentOf(u) === unit);
};

/**
 * What a campaign's pledges came to in one unit (money and goods together, and the number of pledges): the
 * whole campaign for `VN`, the communes of a province summed, or one commune's row.
 */
export const pledgedIn = (
  answer: Pick<CampaignAnswer, "pledged" | "byUnit">,
  unit: string,
  parentOf: ParentOf,
): { readonly vnd: number; readonly count: number } => {
  const rows =
    unit === "VN"
      ? [answer.pledged]
      : answer.byUnit.filter((row) => row.unitCode === unit || parentOf(row.unitCode) === unit);
  return rows.reduce(
    (sum, row) => ({ vnd: sum.vnd + row.moneyVnd + row.inKindVnd, count: sum.count + row.count }),
    {
      vnd: 0,
      count: 0,
    },
  );
};
