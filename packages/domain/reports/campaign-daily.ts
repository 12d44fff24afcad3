import type { CampaignDefinition } from "#events/campaign.ts";
import type { CampaignView } from "../projection.ts";
import { column, countVi, percentOf, type Report, vndWords } from "./report.ts";

/** Days a digest shows, ending with its day: a week lets staff see the trend without a chart. */
const DIGEST_DAYS = 7;

const zero = { moneyVnd: 0, inKindVnd: 0, count: 0 };

/**
 * A campaign's daily digest for `day` (a Vietnamese day): what was pledged that day and so far, against
 * the goal, the last week day by day, and the units that pledged most so far. From the campaign's one
 * partition, so its cost does not depend on the number of pledges.
 */
export const campaignDailyDigest = (
  campaign: Pick<CampaignDefinition, "id" | "name" | "goals">,
  view: CampaignView,
  day: string,
  unitName: (code: string) => string,
): Report => {
  const upTo = view.byDay.filter((d) => d.day <= day);
  const soFar = upTo.reduce(
    (t, d) => ({
      moneyVnd: t.moneyVnd + d.moneyVnd,
      inKindVnd: t.inKindVnd + d.inKindVnd,
      count: t.count + d.count,
    }),
    zero,
  );
  const today = view.byDay.find((d) => d.day === day) ?? { day, ...zero };
  const week = Array.from({ length: DIGEST_DAYS }, (_, i) => {
    const d = new Date(`${day}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - (DIGEST_DAYS - 1 - i));
    const key = d.toISOString().slice(0, 10);
    return view.byDay.find((x) => x.day === key) ?? { day: key, ...zero };
  });
  const goal = campaign.goals.moneyVnd;
  const progress = goal === undefined ? null : percentOf(soFar.moneyVnd, goal);
  const top = [...view.byUnit]
    .sort((a, b) => b.moneyVnd + b.inKindVnd - (a.moneyVnd + a.inKindVnd))
    .slice(0, 20);
  return {
    kind: "campaign-daily",
    title: { vi: `${campaign.name.vi}: bản tin ngày ${day}`, en: `${campaign.name.en}: digest of ${day}` },
    headline: {
      vi:
        `Ngày ${day}: ${countVi(today.count)} lượt ủng hộ, ${vndWords(today.moneyVnd)}; ` +
        `lũy kế ${countVi(soFar.count)} lượt, ${vndWords(soFar.moneyVnd)}` +
        (progress === null ? "." : ` (${progress.toLocaleString("vi-VN")}% mục tiêu).`),
      en:
        `${day}: ${today.count.toLocaleString("en-US")} pledges, ${today.moneyVnd.toLocaleString("en-US")} VND; ` +
        `so far ${soFar.count.toLocaleString("en-US")} pledges, ${soFar.moneyVnd.toLocaleString("en-US")} VND` +
        (progress === null ? "." : ` (${progress}% of the goal).`),
    },
    subject: { campaign: campaign.id, day },
    sheets: [
      {
        name: { vi: "Theo ngày", en: "By day" },
        columns: [
          column("day", "Ngày", "Day", "text"),
          column("count", "Số lượt ủng hộ", "Pledges", "count"),
          column("moneyVnd", "Tiền (đồng)", "Money (VND)", "vnd"),
          column("inKindVnd", "Hiện vật quy tiền (đồng)", "In kind (VND)", "vnd"),
        ],
        rows: week.map((d) => ({ day: d.day, count: d.count, moneyVnd: d.moneyVnd, inKindVnd: d.inKindVnd })),
      },
      {
        name: { vi: "Đơn vị ủng hộ nhiều nhất", en: "Top units" },
        columns: [
          column("code", "Mã đơn vị", "Unit code", "text"),
          column("name", "Tên đơn vị", "Unit", "text"),
          column("count", "Số lượt ủng hộ", "Pledges", "count"),
          column("moneyVnd", "Tiền (đồng)", "Money (VND)", "vnd"),
          column("inKindVnd", "Hiện vật quy tiền (đồng)", "In kind (VND)", "vnd"),
        ],
        rows: top.map((u) => ({
          code: u.unitCode,
          name: unitName(u.unitCode),
          count: u.count,
          moneyVnd: u.moneyVnd,
          inKindVnd: u.inKindVnd,
        })),
      },
    ],
  };
};
