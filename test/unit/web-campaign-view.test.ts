import { describe, expect, it } from "vitest";
import { type CampaignAnswer, campaignView } from "#web/campaign-view.ts";

const zero = { moneyVnd: 0, inKindVnd: 0, count: 0 };
const answer: CampaignAnswer = {
  campaignId: "thang-9",
  pledged: { moneyVnd: 6_000_000, inKindVnd: 2_000_000, count: 3 },
  byDay: [
    { ...zero, day: "2026-09-06", moneyVnd: 1_000_000 },
    { ...zero, day: "2026-09-05", moneyVnd: 5_000_000, inKindVnd: 2_000_000 },
  ],
  byUnit: [
    { ...zero, unitCode: "04252", moneyVnd: 1_000_000 },
    { ...zero, unitCode: "99999", moneyVnd: 7_000_000 },
  ],
};
const names: Record<string, string> = { "04252": "Xã A" };

describe("campaign page figures", () => {
  it("orders days, names communes largest first, and shows no goal or received the API did not send", () => {
    const view = campaignView(answer, (code) => names[code]);
    expect(view).toEqual({
      pledgedVnd: 8_000_000,
      count: 3,
      days: [
        { day: "2026-09-05", vnd: 7_000_000 },
        { day: "2026-09-06", vnd: 1_000_000 },
      ],
      communes: [
        { unitCode: "99999", name: "99999", vnd: 7_000_000 },
        { unitCode: "04252", name: "Xã A", vnd: 1_000_000 },
      ],
    });
  });

  it("shows progress toward a goal, capped at the whole, and received money when sent", () => {
    const view = campaignView(
      { ...answer, goals: { moneyVnd: 4_000_000 }, received: { moneyVnd: 3_000_000 } },
      () => undefined,
    );
    expect(view.progress).toBe(1);
    expect(view.receivedVnd).toBe(3_000_000);
    expect(campaignView({ ...answer, goals: { moneyVnd: 16_000_000 } }, () => undefined).progress).toBe(0.5);
  });
});
