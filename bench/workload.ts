import type { DonationForm } from "#events/donation.ts";
import { prng } from "#local/chaos/random.ts";

const uuid = (rand: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = "4";
  hex[16] = ((Math.floor(rand() * 4) + 8) as number).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export interface Workload {
  /** What is posted, in order: every donation once, plus resubmissions of some with the same eventId. */
  readonly submissions: DonationForm[];
  /** Distinct donations. */
  readonly unique: number;
  readonly campaignId: string;
}

export interface WorkloadOptions {
  readonly events: number;
  readonly seed: number;
  /** Share of donations submitted a second time with the same eventId and body. */
  readonly resubmitted?: number;
  /** Every donation in one campaign, one commune, one day: the worst case for a single item. */
  readonly hotKey?: boolean;
}

/**
 * A September spike ("Tháng 9 khuyến học"): donations over the month for one campaign, skewed across
 * about 100 communes of one province (Zipf: a few communes get most), money and goods mixed, a share
 * resubmitted by impatient donors a moment later.
 */
export const septemberSpike = ({
  events,
  seed,
  resubmitted = 0.05,
  hotKey = false,
}: WorkloadOptions): Workload => {
  const rand = prng(seed);
  const communes = Array.from({ length: 100 }, (_, i) => String(4_000 + i * 3).padStart(5, "0"));
  const zipf = communes.map((_, i) => 1 / (i + 1) ** 1.1);
  const total = zipf.reduce((a, b) => a + b, 0);
  const cumulative = zipf.map(
    (
      (sum) => (w) =>
        (sum += w / total)
    )(0),
  );
  const pickCommune = () => {
    const r = rand();
    const i = cumulative.findIndex((c) => r <= c);
    return communes[i === -1 ? communes.length - 1 : i] ?? "04000";
  };
  const campaignId = hotKey ? "bench-hot-key" : "thang-9-khuyen-hoc-2026";
  const start = Date.parse("2026-09-01T00:00:00+07:00");
  const month = 30 * 24 * 3_600_000;
  const kinds = [
    "individual",
    "individual",
    "individual",
    "business",
    "organization",
    "school",
    "class",
  ] as const;
  const donations: DonationForm[] = Array.from({ length: events }, (_, i) => {
    const at = hotKey
      ? start + 9 * 3_600_000 + i
      : start + Math.floor((i / events) * month + rand() * 60_000);
    const inKind = rand() < 0.2;
    return {
      eventId: uuid(rand),
      campaignId,
      unitCode: hotKey ? "04000" : pickCommune(),
      occurredAt: new Date(at + 7 * 3_600_000).toISOString().replace("Z", "+07:00"),
      donor: {
        kind: kinds[Math.floor(rand() * kinds.length)] ?? "individual",
        name: `Nhà hảo tâm ${i}`,
        anonymous: rand() < 0.1,
      },
      contribution: inKind
        ? {
            kind: "in-kind",
            description: "Vở, sách giáo khoa",
            valuationVnd: (1 + Math.floor(rand() * 200)) * 10_000,
          }
        : { kind: "money", amountVnd: (1 + Math.floor(rand() * 500)) * 10_000 },
    };
  });
  // A resubmission follows its original within a few hundred submissions, as a donor's retry would.
  const submissions: DonationForm[] = [];
  const pending: { due: number; form: DonationForm }[] = [];
  donations.forEach((form, i) => {
    submissions.push(form);
    if (rand() < resubmitted) {
      pending.push({ due: i + 1 + Math.floor(rand() * 300), form });
      pending.sort((a, b) => a.due - b.due);
    }
    while (pending.length > 0 && (pending[0]?.due ?? Number.POSITIVE_INFINITY) <= i) {
      const next = pending.shift();
      if (next) submissions.push(next.form);
    }
  });
  for (const p of pending) submissions.push(p.form);
  return { submissions, unique: events, campaignId };
};
