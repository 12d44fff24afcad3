import { createHash } from "node:crypto";
import { canonicalJson, pledgeFromForm } from "#domain/donation.ts";
import { unitsOn } from "#domain/units.ts";
import type { AssessmentRecorded, AssessmentRegistered, SubjectKind } from "#events/assessment.ts";
import type { DonationForm } from "#events/donation.ts";
import type { DomainEvent } from "#events/index.ts";
import type { SponsorshipEnded, SponsorshipStarted } from "#events/sponsorship.ts";
import type { SupportGranted, SupportReason } from "#events/support.ts";
import { prng } from "./chaos/random.ts";
import type { Random } from "./faults.ts";

/**
 * The share of each family in a September ("Tháng 9 khuyến học") of the association's events, as the mixed
 * and national benchmark workloads draw them: mostly web-form pledges, then the support the month's
 * campaigns pay for, then staff recording sponsorships and the learning-family assessments of the year.
 *
 * - 70% `DonationPledged`, over three campaigns (60/30/10);
 * - 20% `SupportGranted`: 85% to a registered beneficiary (about one grant in six goes to someone already
 *   supported, so lượt and people differ), 15% to a collective (a school, a class, a learning centre);
 * - 5% sponsorships: `SponsorshipStarted` (a teacher takes a 1st or 2nd student), and one in five an
 *   `SponsorshipEnded` of an earlier start;
 * - 5% assessments: `AssessmentRegistered` for 2026, and two in five an `AssessmentRecorded` (recognised
 *   or not under `qd-387-2021` v1) of a subject registered earlier.
 */
export const SEPTEMBER_MIX = { donations: 0.7, support: 0.2, sponsorships: 0.05, assessments: 0.05 } as const;

/** The campaigns pledges go to, with their weights. */
const CAMPAIGNS = [
  ["thang-9-khuyen-hoc-2026", 0.6],
  ["quy-khuyen-hoc-tinh", 0.3],
  ["hoc-bong-vuot-kho-2026", 0.1],
] as const;

const REASONS: readonly SupportReason[] = [
  "hardship",
  "high-achievement",
  "overcoming-hardship",
  "scholarship",
  "study-equipment",
  "other",
];
const SUBJECT_KINDS: readonly SubjectKind[] = [
  "learning-family",
  "learning-family",
  "learning-family",
  "learning-clan",
  "learning-community",
  "learning-unit",
];
const DONOR_KINDS = ["individual", "individual", "individual", "business", "organization", "school"] as const;
const ACTOR = { subject: "staff-bench", role: "unit-staff" } as const;

/** A version 4 UUID drawn from the seeded generator, so a seed gives the same events every time. */
const uuidOf = (rand: Random): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = "4";
  hex[16] = (8 + Math.floor(rand() * 4)).toString(16);
  const h = hex.join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const hashOf = (value: unknown): string => createHash("sha256").update(canonicalJson(value)).digest("hex");

/** An instant as Vietnam writes it: `2026-09-05T09:00:00.000+07:00`. */
const vietnamIso = (at: number): string => new Date(at + 7 * 3_600_000).toISOString().replace("Z", "+07:00");

const pick = <T>(rand: Random, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

/** The communes of 2025 (3,321), or those of one province, in code order. */
export const communesOf2025 = (province?: string): readonly string[] =>
  unitsOn("2026-09-01", "commune")
    .filter((u) => province === undefined || u.parent === province)
    .map((u) => u.code);

export interface MixedOptions {
  /** Distinct events. */
  readonly events: number;
  readonly seed: number;
  /** Commune codes valid in September 2026 that the events fall in. */
  readonly communes: readonly string[];
  /**
   * `zipf`: a few communes get most events, as in one province's month; `every`: the communes in a seeded
   * order, round and round, so that every commune has an event once there are enough (the events about
   * someone seen before, about one in twenty, draw no commune).
   */
  readonly spread: "zipf" | "every";
  /** Share of events delivered a second time with the same eventId and body. */
  readonly resubmitted?: number;
}

export interface MixedWorkload {
  /** What is queued, in order: every event once, plus redeliveries of some with the same eventId. */
  readonly messages: readonly DomainEvent[];
  /** Distinct events. */
  readonly unique: number;
  /** Distinct events by type. */
  readonly byType: Readonly<Partial<Record<DomainEvent["type"], number>>>;
}

/**
 * A deterministic September of mixed events (proportions in {@link SEPTEMBER_MIX}), in time order over the
 * month, each valid against its schema in events/. Same options, same events.
 */
export const septemberMix = ({
  events,
  seed,
  communes,
  spread,
  resubmitted = 0.05,
}: MixedOptions): MixedWorkload => {
  if (communes.length === 0) throw new Error("septemberMix: no communes");
  const rand = prng(seed);
  const order = [...communes];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] as string, order[i] as string];
  }
  const weights = communes.map((_, i) => 1 / (i + 1) ** 1.1);
  const sum = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const cumulative = weights.map((w) => (acc += w / sum));
  let turn = 0;
  const nextCommune = (): string => {
    if (spread === "every") return order[turn++ % order.length] as string;
    const r = rand();
    const i = cumulative.findIndex((c) => r <= c);
    return communes[i === -1 ? communes.length - 1 : i] as string;
  };

  const start = Date.parse("2026-09-01T00:00:00+07:00");
  const month = 30 * 24 * 3_600_000;
  // Pledges are made into events as the ingest API makes them, with a clock after the month.
  const clock = { now: () => new Date(start + month + 3_600_000), newId: () => uuidOf(rand) };
  const envelope = (at: number, unitCode: string) => ({
    eventId: uuidOf(rand),
    schemaVersion: 1 as const,
    occurredAt: vietnamIso(at),
    recordedAt: vietnamIso(at + 60_000 + Math.floor(rand() * 3_600_000)),
    unitCode,
    actor: ACTOR,
  });
  const staffSource = (content: unknown) => ({ channel: "staff" as const, contentHash: hashOf(content) });

  const supported: { id: string; unitCode: string }[] = [];
  const teachers: { id: string; unitCode: string; students: number }[] = [];
  const sponsorships: { teacherId: string; studentId: string; unitCode: string }[] = [];
  const registered: { subject: AssessmentRegistered["data"]["subject"]; unitCode: string }[] = [];

  const donation = (at: number, unitCode: string): DomainEvent => {
    const r = rand();
    let campaignId: string = CAMPAIGNS[0][0];
    let upTo = 0;
    for (const [id, weight] of CAMPAIGNS) {
      upTo += weight;
      if (r < upTo) {
        campaignId = id;
        break;
      }
    }
    const form: DonationForm = {
      eventId: uuidOf(rand),
      campaignId,
      unitCode,
      occurredAt: vietnamIso(at),
      donor: { kind: pick(rand, DONOR_KINDS), name: "Nhà hảo tâm", anonymous: rand() < 0.1 },
      contribution:
        rand() < 0.2
          ? {
              kind: "in-kind",
              description: "Vở, sách giáo khoa",
              valuationVnd: (1 + Math.floor(rand() * 200)) * 10_000,
            }
          : { kind: "money", amountVnd: (1 + Math.floor(rand() * 500)) * 10_000 },
    };
    return pledgeFromForm(form, clock);
  };

  const grant = (at: number, commune: () => string): SupportGranted => {
    const toPerson = rand() < 0.85;
    const again = toPerson && supported.length > 0 && rand() < 0.17 ? pick(rand, supported) : undefined;
    const person = again ?? { id: uuidOf(rand), unitCode: toPerson ? commune() : "" };
    if (toPerson && again === undefined) supported.push(person);
    const goods = rand();
    const moneyVnd = goods < 0.8 ? (5 + Math.floor(rand() * 200)) * 10_000 : 0;
    const inKindVnd = goods >= 0.6 ? (1 + Math.floor(rand() * 100)) * 10_000 : 0;
    const data: SupportGranted["data"] = {
      recipient: toPerson
        ? {
            type: "beneficiary",
            beneficiaryId: person.id,
            beneficiaryKind: rand() < 0.9 ? "student" : "teacher",
          }
        : {
            type: "collective",
            kind: pick(rand, ["school", "class", "community-learning-centre"] as const),
            name: "Trường tiểu học",
          },
      reason: pick(rand, REASONS),
      moneyVnd,
      inKindVnd,
      ...(inKindVnd > 0 ? { goodsDescription: "Cặp sách và vở" } : {}),
      fundedBy: rand() < 0.7 ? { source: "campaign", campaignId: CAMPAIGNS[0][0] } : { source: "fund" },
    };
    // A person supported again is supported where they live.
    const base = envelope(at, toPerson ? person.unitCode : commune());
    return { ...base, type: "SupportGranted", source: staffSource(data), supportId: uuidOf(rand), data };
  };

  const sponsorship = (at: number, commune: () => string): SponsorshipStarted | SponsorshipEnded => {
    if (sponsorships.length > 0 && rand() < 0.2) {
      const ended = sponsorships.splice(Math.floor(rand() * sponsorships.length), 1)[0];
      if (ended !== undefined) {
        const teacher = teachers.find((t) => t.id === ended.teacherId);
        if (teacher) teacher.students--;
        const data = { teacherId: ended.teacherId, studentId: ended.studentId, reason: "completed" as const };
        return {
          ...envelope(at, ended.unitCode),
          type: "SponsorshipEnded",
          source: staffSource(data),
          sponsorshipId: uuidOf(rand),
          data,
        };
      }
    }
    // Each teacher sponsors one or two students: a teacher with a free place takes one in two starts.
    const free = teachers.filter((t) => t.students < 2);
    const teacher =
      free.length > 0 && rand() < 0.5
        ? pick(rand, free)
        : { id: uuidOf(rand), unitCode: commune(), students: 0 };
    if (teacher.students === 0 && !teachers.includes(teacher)) teachers.push(teacher);
    teacher.students++;
    const data = { teacherId: teacher.id, studentId: uuidOf(rand) };
    sponsorships.push({ ...data, unitCode: teacher.unitCode });
    return {
      ...envelope(at, teacher.unitCode),
      type: "SponsorshipStarted",
      source: staffSource(data),
      sponsorshipId: uuidOf(rand),
      data,
    };
  };

  const assessment = (at: number, commune: () => string): AssessmentRegistered | AssessmentRecorded => {
    if (registered.length > 0 && rand() < 0.4) {
      const done = registered.splice(Math.floor(rand() * registered.length), 1)[0];
      if (done !== undefined) {
        const recognised = rand() < 0.7;
        const data: AssessmentRecorded["data"] = {
          subject: done.subject,
          year: 2026,
          scheme: { id: "qd-387-2021", version: 1 },
          level: recognised ? "recognised" : "not-recognised",
          recognised,
          assessedBy: "Ban chỉ đạo xây dựng xã hội học tập xã",
        };
        return {
          ...envelope(at, done.unitCode),
          type: "AssessmentRecorded",
          source: staffSource(data),
          data,
        };
      }
    }
    const subject = { kind: pick(rand, SUBJECT_KINDS), subjectId: uuidOf(rand) };
    const unitCode = commune();
    registered.push({ subject, unitCode });
    const data = { subject, year: 2026 };
    return { ...envelope(at, unitCode), type: "AssessmentRegistered", source: staffSource(data), data };
  };

  const distinct: DomainEvent[] = Array.from({ length: events }, (_, i) => {
    const at = start + Math.floor((i / events) * month + rand() * 60_000);
    const r = rand();
    // Events about someone seen before (a person supported again, a sponsorship ended, a result) stay in
    // that one's commune, and draw none.
    if (r < SEPTEMBER_MIX.donations) return donation(at, nextCommune());
    if (r < SEPTEMBER_MIX.donations + SEPTEMBER_MIX.support) return grant(at, nextCommune);
    if (r < 1 - SEPTEMBER_MIX.assessments) return sponsorship(at, nextCommune);
    return assessment(at, nextCommune);
  });

  // A redelivery follows its original within a few hundred messages, as SQS or a retrying client would.
  const messages: DomainEvent[] = [];
  const pending: { due: number; event: DomainEvent }[] = [];
  distinct.forEach((event, i) => {
    messages.push(event);
    if (rand() < resubmitted) {
      pending.push({ due: i + 1 + Math.floor(rand() * 300), event });
      pending.sort((a, b) => a.due - b.due);
    }
    while (pending.length > 0 && (pending[0]?.due ?? Number.POSITIVE_INFINITY) <= i) {
      const next = pending.shift();
      if (next) messages.push(next.event);
    }
  });
  for (const p of pending) messages.push(p.event);
  const byType: Partial<Record<DomainEvent["type"], number>> = {};
  for (const e of distinct) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return { messages, unique: events, byType };
};
