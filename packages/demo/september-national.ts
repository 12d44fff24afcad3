import type { CampaignView } from "#domain/projection.ts";
import { unitsOn } from "#domain/units.ts";
import type { DonationForm } from "#events/donation.ts";
import { createRandom, uuidOf } from "./random.ts";

/** The national September campaign of data/campaigns/, which covers VN. */
export const NATIONAL_CAMPAIGN = "thang-9-khuyen-hoc-2026";

const TODAY_UNITS = "2026-09-15";
const communes = unitsOn(TODAY_UNITS, "commune");

/**
 * A September study-promotion month across every commune of today's 34 provinces: pledges from donors
 * in each of the 3,321 communes (every commune at least once when there are enough pledges), dated across
 * the campaign's September with its evening peaks; money mostly, some goods. Deterministic per seed.
 */
export const generateSeptemberNational = (seed: number, pledges: number): DonationForm[] => {
  const r = createRandom(seed);
  const out: DonationForm[] = [];
  for (let i = 0; i < pledges; i++) {
    const commune = i < communes.length ? communes[i] : r.pick(communes);
    if (commune === undefined) continue;
    const day = String(r.int(1, 30)).padStart(2, "0");
    const hour = String(
      r.weighted([
        [8, 2],
        [12, 3],
        [19, 6],
        [21, 4],
      ] as const),
    ).padStart(2, "0");
    out.push({
      eventId: uuidOf(seed, `national-pledge-${i}`),
      campaignId: NATIONAL_CAMPAIGN,
      unitCode: commune.code,
      occurredAt: `2026-09-${day}T${hour}:${String(r.int(0, 59)).padStart(2, "0")}:00+07:00`,
      donor: { kind: "individual", name: "Nhà hảo tâm", anonymous: r.next() < 0.3 },
      contribution:
        r.next() < 0.1
          ? { kind: "in-kind", description: "Sách giáo khoa", valuationVnd: r.int(1, 20) * 50_000 }
          : { kind: "money", amountVnd: r.int(1, 50) * 100_000 },
    });
  }
  return out;
};

/** What the pledges add to the campaign, counted from the pledges themselves. */
export const pledgeTruth = (pledges: readonly DonationForm[]) => {
  const total = { moneyVnd: 0, inKindVnd: 0, count: 0 };
  const byUnit = new Map<string, { moneyVnd: number; inKindVnd: number; count: number }>();
  for (const p of pledges) {
    const u = byUnit.get(p.unitCode) ?? { moneyVnd: 0, inKindVnd: 0, count: 0 };
    byUnit.set(p.unitCode, u);
    for (const t of [total, u]) {
      t.count += 1;
      if (p.contribution.kind === "money") t.moneyVnd += p.contribution.amountVnd;
      else t.inKindVnd += p.contribution.valuationVnd;
    }
  }
  return { total, byUnit };
};

/** Differences between the view's movement (after minus before) and the truth, as sentences. */
export const compareCampaign = (
  before: CampaignView,
  after: CampaignView,
  truth: ReturnType<typeof pledgeTruth>,
): string[] => {
  const out: string[] = [];
  for (const k of ["moneyVnd", "inKindVnd", "count"] as const) {
    const moved = after.pledged[k] - before.pledged[k];
    if (moved !== truth.total[k]) out.push(`campaign ${k}: moved ${moved}, truth ${truth.total[k]}`);
  }
  const was = new Map(before.byUnit.map((u) => [u.unitCode, u]));
  for (const [code, t] of truth.byUnit) {
    const now = after.byUnit.find((u) => u.unitCode === code);
    const then = was.get(code);
    const moved = (now?.count ?? 0) - (then?.count ?? 0);
    const money = (now?.moneyVnd ?? 0) - (then?.moneyVnd ?? 0);
    if (moved !== t.count || money !== t.moneyVnd)
      out.push(
        `commune ${code}: moved ${moved} pledges ${money} VND, truth ${t.count} pledges ${t.moneyVnd} VND`,
      );
  }
  return out;
};
