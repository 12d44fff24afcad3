import type {
  SponsorshipEnded,
  SponsorshipEndRequest,
  SponsorshipStarted,
  SponsorshipStartRequest,
} from "#events/sponsorship.ts";
import { derivedEventId } from "./beneficiary.ts";
import type { Clock } from "./donation.ts";
import { checkWhenAndWhere, hashOf } from "./family-commands.ts";
import { EndedBeforeStart } from "./family-errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso } from "./time.ts";

/** The start's event id derives from the sponsorshipId, so a retried start is the same event. */
export const startEventId = (sponsorshipId: string): string => derivedEventId(sponsorshipId, "started");

/** A sponsorship ends once: its end's id is the sponsorshipId's alone. */
export const endEventId = (sponsorshipId: string): string => derivedEventId(sponsorshipId, "ended");

/**
 * The SponsorshipStarted event of a staff request, or the 422 that says why not (dated ahead of the clock,
 * a unit not valid on its date). The per-teacher maximum is not decided here: it is state, taken at the
 * door by a conditional write (docs/assessments.md#sponsorships).
 */
export const sponsorshipStartedFrom = (
  body: SponsorshipStartRequest,
  principal: Principal,
  clock: Clock,
): SponsorshipStarted => {
  const recordedAt = checkWhenAndWhere(body.occurredAt, body.unitCode, clock);
  const sponsorshipId = body.sponsorshipId ?? clock.newId();
  const { sponsorshipId: _id, ...content } = body;
  return {
    eventId: startEventId(sponsorshipId),
    type: "SponsorshipStarted",
    schemaVersion: 1,
    occurredAt: body.occurredAt,
    recordedAt,
    unitCode: body.unitCode,
    source: { channel: "staff", contentHash: hashOf(content) },
    actor: actorOf(principal),
    sponsorshipId,
    data: { teacherId: body.teacherId, studentId: body.studentId },
  };
};

/**
 * The SponsorshipEnded event of a recorded start: its teacher, student and unit, so a client cannot end
 * another teacher's sponsorship by naming it. An end dated ahead of the clock or before the start is 422;
 * the unit must still be valid on the end's date (a retired one names its successors).
 */
export const sponsorshipEndedFrom = (
  started: SponsorshipStarted,
  body: SponsorshipEndRequest,
  principal: Principal,
  clock: Clock,
): SponsorshipEnded => {
  if (Date.parse(body.occurredAt) < Date.parse(started.occurredAt)) {
    const message = `must not be before the sponsorship started (${started.occurredAt})`;
    throw new EndedBeforeStart(`occurredAt ${message}`, [{ path: "occurredAt", message }]);
  }
  checkWhenAndWhere(body.occurredAt, started.unitCode, clock);
  return {
    eventId: endEventId(started.sponsorshipId),
    type: "SponsorshipEnded",
    schemaVersion: 1,
    occurredAt: body.occurredAt,
    recordedAt: toVietnamIso(clock.now()),
    unitCode: started.unitCode,
    source: { channel: "staff", contentHash: hashOf({ sponsorshipId: started.sponsorshipId, ...body }) },
    actor: actorOf(principal),
    sponsorshipId: started.sponsorshipId,
    data: { teacherId: started.data.teacherId, studentId: started.data.studentId, reason: body.reason },
  };
};
