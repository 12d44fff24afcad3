import { createHash } from "node:crypto";
import type { DonationForm, DonationPledged } from "#events/donation.ts";
import { OccurredAtInFuture } from "./errors.ts";
import { toVietnamIso } from "./time.ts";

/** JSON with keys sorted at every level, so equal content hashes equally whatever the key order. */
export const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** Hash of what the donor submitted, without the eventId: a retry of the same form hashes the same. */
export const contentHashOf = (form: DonationForm): string => {
  const { eventId: _ignored, ...content } = form;
  return createHash("sha256").update(canonicalJson(content)).digest("hex");
};

export interface Clock {
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * UUIDs are case-insensitive (RFC 9562): `3F6C…` and `3f6c…` name one event. The ledger is keyed by the
 * exact string, so every eventId is written in lower case, the form RFC 9562 recommends for output.
 */
export const normalEventId = (eventId: string): string => eventId.toLowerCase();

/** How far ahead of the server's clock a donor's clock may run: phones are often a little fast. */
export const CLOCK_SKEW_MINUTES = 5;

/**
 * Turns a validated web-form body into the event the ledger will hold. A pledge dated more than
 * {@link CLOCK_SKEW_MINUTES} ahead of the clock is refused here, the one place that knows the time;
 * no schema can carry that bound.
 */
export const pledgeFromForm = (form: DonationForm, clock: Clock): DonationPledged => {
  const now = clock.now();
  const recordedAt = toVietnamIso(now);
  if (
    form.occurredAt !== undefined &&
    Date.parse(form.occurredAt) > now.getTime() + CLOCK_SKEW_MINUTES * 60_000
  ) {
    const message = `must be at most ${CLOCK_SKEW_MINUTES} minutes after the server's time (${recordedAt})`;
    throw new OccurredAtInFuture(`occurredAt ${form.occurredAt} is in the future`, [
      { path: "occurredAt", message },
    ]);
  }
  return {
    eventId: normalEventId(form.eventId ?? clock.newId()),
    type: "DonationPledged",
    schemaVersion: 1,
    occurredAt: form.occurredAt ?? recordedAt,
    recordedAt,
    unitCode: form.unitCode,
    campaignId: form.campaignId,
    source: { channel: "web-form", contentHash: contentHashOf(form) },
    data: {
      donor: form.donor,
      contribution: form.contribution,
      ...(form.message === undefined ? {} : { message: form.message }),
    },
  };
};
