import { describe, expect, it } from "vitest";
import {
  compareCampaign,
  generateSeptemberNational,
  NATIONAL_CAMPAIGN,
  pledgeTruth,
} from "#demo/september-national.ts";
import { pledgeFromForm } from "#domain/donation.ts";
import { campaignPartition, campaignPledges, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
import { fold } from "#domain/projections/fold.ts";

const clock = {
  now: () => new Date("2026-11-28T03:00:00Z"),
  newId: () => "00000000-0000-4000-8000-000000000000",
};
const viewOf = (forms: ReturnType<typeof generateSeptemberNational>) =>
  campaignViewOf(
    NATIONAL_CAMPAIGN,
    fold(
      campaignPledges,
      forms.map((f) => pledgeFromForm(f, clock)),
    ).get(campaignPartition(NATIONAL_CAMPAIGN)) ?? new Map(),
  );

describe("September across the nation", () => {
  it("pledges from every one of today's 3,321 communes, the same ones for the same seed", () => {
    // Given 4,000 pledges; when generated twice with one seed
    const pledges = generateSeptemberNational(7, 4_000);
    // Then every commune pledges, and the run repeats exactly
    expect(new Set(pledges.map((p) => p.unitCode)).size).toBe(3_321);
    expect(generateSeptemberNational(7, 4_000)).toEqual(pledges);
  });

  it("finds the dashboard's movement equal to the pledges, and names a commune that moved wrongly", () => {
    // Given a dashboard before and after 500 pledges
    const earlier = generateSeptemberNational(1, 100);
    const pledges = generateSeptemberNational(2, 500);
    const before = viewOf(earlier);
    const after = viewOf([...earlier, ...pledges]);
    // Then it moved by exactly the pledges
    expect(compareCampaign(before, after, pledgeTruth(pledges))).toEqual([]);
    // And a pledge missing from the dashboard is named with its commune
    const missing = viewOf([...earlier, ...pledges.slice(1)]);
    const found = compareCampaign(before, missing, pledgeTruth(pledges));
    expect(found).toContain(`campaign count: moved 499, truth 500`);
    expect(found.some((m) => m.startsWith(`commune ${pledges[0]?.unitCode}:`))).toBe(true);
  });
});
