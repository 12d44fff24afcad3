import { randomUUID } from "node:crypto";
import { pledgeFromForm } from "#domain/donation.ts";
import { type CampaignDelta, foldDeltas } from "#domain/projection.ts";
import type { DonationForm } from "#events/donation.ts";
import type { DomainEvent } from "#events/index.ts";

/** A valid web-form body; override what the test is about. */
export const aDonationForm = (overrides: Partial<DonationForm> = {}): DonationForm => ({
  eventId: randomUUID(),
  campaignId: "thang-9-khuyen-hoc-2026",
  unitCode: "04252",
  occurredAt: "2026-09-05T09:30:00+07:00",
  donor: { kind: "individual", name: "Nguyễn Văn An", anonymous: false },
  contribution: { kind: "money", amountVnd: 500_000 },
  ...overrides,
});

export const fixedClock = (iso = "2026-09-05T02:31:00Z") => ({
  now: () => new Date(iso),
  newId: () => "00000000-0000-4000-8000-000000000001",
});

/** The event the ingest edge would enqueue for a form, recorded after the September days tests use. */
export const aPledge = (overrides: Partial<DonationForm> = {}) =>
  pledgeFromForm(aDonationForm(overrides), fixedClock("2026-10-01T00:00:00Z"));

/** The delta a set of events adds to one campaign; fails the test if they add nothing to it. */
export const deltaFor = (events: DomainEvent[], campaignId = "thang-9-khuyen-hoc-2026"): CampaignDelta => {
  const delta = foldDeltas(events).get(campaignId);
  if (delta === undefined) throw new Error(`no delta for campaign ${campaignId}`);
  return delta;
};
