/** Money and count as the campaign route sums them. */
export interface Totals {
  readonly moneyVnd: number;
  readonly inKindVnd: number;
  readonly count: number;
}

/**
 * `GET /v1/campaigns/{id}` as README documents it: the definition's names, window and goals, and the
 * totals; `received` (added by the payments work) optional, so the page shows it once the API sends it.
 */
export interface CampaignAnswer {
  readonly campaignId: string;
  readonly name?: { readonly vi: string; readonly en: string };
  readonly window?: { readonly from: string; readonly to: string };
  readonly goals?: { readonly moneyVnd?: number };
  readonly pledged: Totals;
  readonly byDay: readonly ({ readonly day: string } & Totals)[];
  readonly byUnit: readonly ({ readonly unitCode: string } & Totals)[];
  readonly received?: { readonly moneyVnd: number };
}

/** What the campaign page draws. */
export interface CampaignView {
  readonly pledgedVnd: number;
  readonly count: number;
  readonly receivedVnd?: number;
  readonly goalVnd?: number;
  /** Share of the goal pledged, 0–1 (capped), only where the campaign has a goal. */
  readonly progress?: number;
  readonly days: readonly { readonly day: string; readonly vnd: number }[];
  readonly communes: readonly { readonly unitCode: string; readonly name: string; readonly vnd: number }[];
}

/** The page's figures: money and in-kind together, days in order, communes largest first. */
export const campaignView = (
  answer: CampaignAnswer,
  nameOf: (code: string) => string | undefined,
): CampaignView => {
  const vnd = (t: Totals) => t.moneyVnd + t.inKindVnd;
  const pledgedVnd = vnd(answer.pledged);
  const goalVnd = answer.goals?.moneyVnd;
  return {
    pledgedVnd,
    count: answer.pledged.count,
    ...(answer.received ? { receivedVnd: answer.received.moneyVnd } : {}),
    ...(goalVnd && goalVnd > 0 ? { goalVnd, progress: Math.min(1, pledgedVnd / goalVnd) } : {}),
    days: [...answer.byDay]
      .sort((a, b) => a.day.localeCompare(b.day))
      .map((d) => ({ day: d.day, vnd: vnd(d) })),
    communes: answer.byUnit
      .map((u) => ({ unitCode: u.unitCode, name: nameOf(u.unitCode) ?? u.unitCode, vnd: vnd(u) }))
      .sort((a, b) => b.vnd - a.vnd || a.unitCode.localeCompare(b.unitCode)),
  };
};
