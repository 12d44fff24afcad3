import { createHash } from "node:crypto";
import { derivedEventId } from "#domain/beneficiary.ts";
import {
  assessmentRecordedFrom,
  assessmentRegisteredFrom,
  supportGrantedFrom,
} from "#domain/family-commands.ts";
import type { Principal } from "#domain/principal.ts";
import { rollUp, unitsOn } from "#domain/units.ts";
import type { DomainEvent } from "#events/index.ts";
import type { SponsorshipEnded, SponsorshipStarted } from "#events/sponsorship.ts";
import type { GrantFacts, SupportCorrected, SupportGranted, SupportRevoked } from "#events/support.ts";

/**
 * Staff events of every family for drills and benchmarks, made as the staff routes make them (the domain's
 * command functions where they exist): support grants, some to a person already supported that year in
 * another commune of the province, some in old Yên Bái communes in 2018 (so historic and today's units
 * both move), corrections and revocations of earlier grants, sponsorships started and ended, assessment
 * registrations and results. Deterministic for a source of numbers.
 */

type Random = () => number;

const hashOf = (...parts: unknown[]): string =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex");

const pick = <T>(rand: Random, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

const uuidFrom = (rand: Random): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

/** Communes of today's Lào Cai (code 15) and of old Yên Bái (code 15 before 1 July 2025). */
const TODAY = unitsOn("2026-09-05", "commune")
  .filter((u) => u.parent === "15")
  .slice(0, 8)
  .map((u) => u.code);
const OLD_YEN_BAI = unitsOn("2018-09-05", "commune")
  .filter((u) =>
    rollUp(u.code, "2018-09-05", "historic").some((p) => p.level === "province" && p.code === "15"),
  )
  .slice(0, 8)
  .map((u) => u.code);

const staff: Principal = { subject: "drill-staff", role: "association-admin", scope: "VN" };
const REASONS = [
  "hardship",
  "high-achievement",
  "overcoming-hardship",
  "scholarship",
  "study-equipment",
] as const;

/** `n` staff events; `now` must be after 2026-09-30 (the events are dated in September 2026 and 2018). */
export const familyEvents = (n: number, rand: Random, now: Date = new Date()): DomainEvent[] => {
  const clock = { now: () => now, newId: () => uuidFrom(rand) };
  const events: DomainEvent[] = [];
  const grants: SupportGranted[] = [];
  const people: string[] = [];
  const sponsorships: SponsorshipStarted[] = [];
  while (events.length < n) {
    const r = rand();
    const day = String(1 + Math.floor(rand() * 28)).padStart(2, "0");
    if (r < 0.55) {
      // A grant: a third to someone supported before (one person, two lượt), some in 2018.
      const old = rand() < 0.2;
      const person = people.length > 0 && rand() < 0.33 ? pick(rand, people) : uuidFrom(rand);
      if (!people.includes(person)) people.push(person);
      const collective = rand() < 0.1;
      const grant = supportGrantedFrom(
        {
          supportId: uuidFrom(rand),
          recipient: collective
            ? { type: "collective", kind: "school", name: "Trường Tiểu học Kim Đồng" }
            : {
                type: "beneficiary",
                beneficiaryId: person,
                beneficiaryKind: rand() < 0.9 ? "student" : "teacher",
              },
          reason: pick(rand, REASONS),
          moneyVnd: 100_000 * (1 + Math.floor(rand() * 50)),
          ...(rand() < 0.2 ? { goods: { description: "sách vở", valuationVnd: 250_000 } } : {}),
          fundedBy: { source: "fund" },
          occurredAt: `${old ? "2018" : "2026"}-09-${day}T09:00:00+07:00`,
          unitCode: pick(rand, old ? OLD_YEN_BAI : TODAY),
        },
        staff,
        clock,
      );
      grants.push(grant);
      events.push(grant);
    } else if (r < 0.62 && grants.length > 0) {
      const grant = pick(rand, grants);
      const original: GrantFacts = { ...grant.data, occurredAt: grant.occurredAt, unitCode: grant.unitCode };
      const envelope = {
        occurredAt: grant.occurredAt,
        recordedAt: grant.recordedAt,
        unitCode: grant.unitCode,
        actor: grant.actor,
        schemaVersion: 1 as const,
        supportId: grant.supportId,
      };
      if (rand() < 0.5) {
        const corrected: SupportCorrected = {
          ...envelope,
          eventId: derivedEventId(grant.supportId, `corrected|${events.length}`),
          source: { channel: "staff", contentHash: hashOf(grant.supportId, `c${events.length}`) },
          type: "SupportCorrected",
          data: {
            original,
            corrected: { reason: grant.data.reason, moneyVnd: grant.data.moneyVnd + 50_000, inKindVnd: 0 },
          },
        };
        events.push(corrected);
      } else {
        const revoked: SupportRevoked = {
          ...envelope,
          eventId: derivedEventId(grant.supportId, `revoked|${events.length}`),
          source: { channel: "staff", contentHash: hashOf(grant.supportId, `r${events.length}`) },
          type: "SupportRevoked",
          data: { original, reason: "recorded-in-error" },
        };
        events.push(revoked);
      }
    } else if (r < 0.8) {
      const ending = sponsorships.length > 0 && rand() < 0.3 ? sponsorships.shift() : undefined;
      const sponsorshipId = ending?.sponsorshipId ?? uuidFrom(rand);
      const teacherId = ending?.data.teacherId ?? uuidFrom(rand);
      const studentId = ending?.data.studentId ?? pick(rand, people.length > 0 ? people : [uuidFrom(rand)]);
      const base = {
        occurredAt: `2026-09-${day}T08:00:00+07:00`,
        recordedAt: `2026-09-${day}T08:00:00+07:00`,
        unitCode: ending?.unitCode ?? pick(rand, TODAY),
        actor: { subject: staff.subject, role: staff.role },
        schemaVersion: 1 as const,
        sponsorshipId,
      };
      if (ending) {
        const ended: SponsorshipEnded = {
          ...base,
          eventId: derivedEventId(sponsorshipId, "ended"),
          source: { channel: "staff", contentHash: hashOf(sponsorshipId, "e") },
          type: "SponsorshipEnded",
          data: { teacherId, studentId, reason: "completed" },
        };
        events.push(ended);
      } else {
        const started: SponsorshipStarted = {
          ...base,
          eventId: derivedEventId(sponsorshipId, "started"),
          source: { channel: "staff", contentHash: hashOf(sponsorshipId, "s") },
          type: "SponsorshipStarted",
          data: { teacherId, studentId },
        };
        sponsorships.push(started);
        events.push(started);
      }
    } else {
      const subject = { kind: "learning-family" as const, subjectId: uuidFrom(rand) };
      const unitCode = pick(rand, TODAY);
      events.push(
        assessmentRegisteredFrom(
          { subject, year: 2026, occurredAt: "2026-03-01T09:00:00+07:00", unitCode },
          staff,
          clock,
        ),
      );
      if (rand() < 0.8)
        events.push(
          assessmentRecordedFrom(
            {
              subject,
              year: 2026,
              scheme: { id: "qd-387-2021", version: 1 },
              level: rand() < 0.7 ? "recognised" : "not-recognised",
              assessedBy: "Ban chỉ đạo xã",
              occurredAt: `2026-09-${day}T10:00:00+07:00`,
              unitCode,
            },
            staff,
            clock,
          ),
        );
    }
  }
  return events.slice(0, n);
};
