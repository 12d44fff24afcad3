import { pledgeFromForm } from "#domain/donation.ts";
import type { DonationForm } from "#events/donation.ts";
import type { DomainEvent } from "#events/index.ts";
import { familyEvents } from "../family-workload.ts";
import type { Random } from "../faults.ts";
import { bankTransfers, type PaymentWorkload } from "../payment-workload.ts";
import type { ChaosOptions, FaultSettings } from "./options.ts";
import { pick, prng, uuidFrom } from "./random.ts";

/**
 * What the drill sends, decided by the seed alone before anything is sent: donations and how often each is
 * posted, staff events, bank-transfer notifications. Timing (faults, answers) changes none of it.
 */

export const CAMPAIGNS = ["thang-9-khuyen-hoc-2026", "ngay-hoi-khuyen-hoc-2026", "quy-khuyen-tai-xa-2026"];
/** Communes (5 digits) and two provinces (2 digits). */
const UNITS = ["04252", "04255", "04258", "04261", "04264", "04267", "20101", "20104", "20107", "04", "20"];
const DONOR_KINDS = ["individual", "individual", "business", "organization", "school", "class"] as const;

/** An instant written with a given offset from UTC, in hours: `…+07:00`, `…Z`, `…+09:00`. */
const withOffset = (epochMs: number, hours: number): string => {
  const local = new Date(epochMs + hours * 3_600_000).toISOString().slice(0, 19);
  if (hours === 0) return `${local}Z`;
  return `${local}${hours < 0 ? "-" : "+"}${String(Math.abs(hours)).padStart(2, "0")}:00`;
};

/**
 * Donations over ten September days, three campaigns, communes and provinces, money and goods; one in
 * six falls within minutes of a Vietnamese midnight and is written in another offset, so day bucketing
 * is tested too.
 */
const donations = (events: number, rand: Random): DonationForm[] =>
  Array.from({ length: events }, (_, i) => {
    const day = Date.parse("2026-09-01T00:00:00+07:00") + Math.floor(rand() * 10) * 86_400_000;
    const nearMidnight = rand() < 1 / 6;
    const at = nearMidnight
      ? day + 86_400_000 + Math.floor((rand() - 0.5) * 20 * 60_000)
      : day + Math.floor(rand() * 86_400_000);
    const inKind = rand() < 0.25;
    return {
      eventId: uuidFrom(rand),
      campaignId: pick(rand, CAMPAIGNS),
      unitCode: pick(rand, UNITS),
      occurredAt: withOffset(at, nearMidnight ? pick(rand, [0, 9, -3]) : 7),
      donor: { kind: pick(rand, DONOR_KINDS), name: `Nhà hảo tâm ${i}`, anonymous: rand() < 0.1 },
      contribution: inKind
        ? {
            kind: "in-kind",
            description: "Vở, sách giáo khoa",
            valuationVnd: (1 + Math.floor(rand() * 200)) * 5_000,
          }
        : { kind: "money", amountVnd: (1 + Math.floor(rand() * 500)) * 10_000 },
    };
  });

export interface Submission {
  readonly form: DonationForm;
  /** Posted this many times at once. */
  readonly copies: number;
  readonly resubmission: boolean;
}

/** Every donation once, some twice at once, some again a little later, as donors and browsers do. */
const submissionsOf = (forms: readonly DonationForm[], faults: FaultSettings, rand: Random) => {
  const out: Submission[] = [];
  const later: { due: number; form: DonationForm }[] = [];
  forms.forEach((form, i) => {
    out.push({ form, copies: rand() < faults.concurrentShare ? 2 : 1, resubmission: false });
    if (rand() < faults.resubmitShare) later.push({ due: i + 1 + Math.floor(rand() * 60), form });
    for (const r of later.filter((l) => l.due <= i)) {
      out.push({ form: r.form, copies: 1, resubmission: true });
      later.splice(later.indexOf(r), 1);
    }
  });
  for (const r of later) out.push({ form: r.form, copies: 1, resubmission: true });
  return out;
};

export interface ChaosWorkload {
  /** Each distinct donation once. */
  readonly forms: readonly DonationForm[];
  /** The posts the driver makes, in order: every form, some twice at once, some again later. */
  readonly submissions: readonly Submission[];
  /** Staff events, put on the queue as the staff routes put them. */
  readonly family: readonly DomainEvent[];
  readonly money: PaymentWorkload;
}

/**
 * The whole workload. `rand` is drawn from in a fixed order (donations, then their submissions, then the
 * staff events), so a seed gives the same workload; the transfers have a stream of their own.
 */
export const chaosWorkload = (options: ChaosOptions, faults: FaultSettings, rand: Random): ChaosWorkload => {
  const forms = donations(options.events, rand);
  const submissions = submissionsOf(forms, faults, rand);
  const family = familyEvents(options.familyEvents ?? Math.round(options.events / 2), rand);
  // Bank-transfer notifications come in bursts (a notifier catching up), 30% of them twice, a retry
  // often in the same burst as its original.
  const money = bankTransfers(
    {
      notifications: options.moneyEvents ?? Math.round(options.events / 3),
      duplicateShare: 0.3,
      redeliveryWithin: 40,
    },
    prng(options.seed ^ 0x6d0e7),
  );
  return { forms, submissions, family, money };
};

/** The pledge event the ingest API makes of a form: the truth is folded from these. */
export const eventOf = (form: DonationForm): DomainEvent =>
  pledgeFromForm(form, { now: () => new Date(), newId: () => form.eventId ?? "" });

/** Posts beyond each donation's first: a resubmission later, or a second copy at the same moment. */
export const resubmittedOf = (submissions: readonly Submission[]): number =>
  submissions.filter((s) => s.resubmission).length + submissions.filter((s) => s.copies > 1).length;
