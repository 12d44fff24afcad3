import { createHash } from "node:crypto";
import type { z } from "zod";
import type {
  AssessmentRecorded,
  AssessmentRegistered,
  AssessmentRegistrationRequest,
  AssessmentResultRequest,
} from "#events/assessment.ts";
import type { FundRef } from "#events/payment.ts";
import type { SupportGranted, SupportGrantRequest } from "#events/support.ts";
import { judgeUnderScheme } from "./assessment-schemes.ts";
import { derivedEventId } from "./beneficiary.ts";
import { type Clock, canonicalJson } from "./donation.ts";
import { OccurredAtInFuture } from "./errors.ts";
import { SchemeNotApplicable, SponsorshipLimit, SupportAmountRequired } from "./family-errors.ts";
import { actorOf, type Principal } from "./principal.ts";
import { toVietnamIso } from "./time.ts";
import { unitOrRefusal } from "./unit-errors.ts";
import { validateUnitOnDate } from "./units.ts";

/** The content hash a staff event keeps, so that a retry is told from another body under the same id. */
export const hashOf = (value: unknown): string =>
  createHash("sha256").update(canonicalJson(value)).digest("hex");

/** The rules every staff event shares: not dated ahead of the clock, and its unit valid on its date. */
export const checkWhenAndWhere = (occurredAt: string, unitCode: string, clock: Clock): string => {
  const recordedAt = toVietnamIso(clock.now());
  if (Date.parse(occurredAt) > clock.now().getTime()) {
    const message = "must not be after the time the server received it";
    throw new OccurredAtInFuture(`occurredAt ${message}`, [{ path: "occurredAt", message }]);
  }
  unitOrRefusal(validateUnitOnDate(unitCode, occurredAt));
  return recordedAt;
};

/**
 * The SupportGranted event of a staff request, or the 422 that says why not: money and/or goods, a unit
 * valid on the grant's date (a retired code names its successors). Its eventId derives from the supportId,
 * so a retry is the same event. `fund`, the fund the route found it is paid from, is kept in `fundedBy`
 * and left out of the content hash: the client never sends it.
 */
export const supportGrantedFrom = (
  body: SupportGrantRequest,
  principal: Principal,
  clock: Clock,
  fund?: FundRef,
): SupportGranted => {
  if (body.moneyVnd === undefined && body.goods === undefined) {
    const message = "must give money (moneyVnd), goods (goods) or both";
    throw new SupportAmountRequired(`a grant ${message}`, [{ path: "moneyVnd", message }]);
  }
  const recordedAt = checkWhenAndWhere(body.occurredAt, body.unitCode, clock);
  const supportId = body.supportId ?? clock.newId();
  const { supportId: _id, ...content } = body;
  return {
    eventId: derivedEventId(supportId, "granted"),
    type: "SupportGranted",
    schemaVersion: 1,
    occurredAt: body.occurredAt,
    recordedAt,
    unitCode: body.unitCode,
    source: { channel: "staff", contentHash: hashOf(content) },
    actor: actorOf(principal),
    supportId,
    data: {
      recipient: body.recipient,
      reason: body.reason,
      moneyVnd: body.moneyVnd ?? 0,
      inKindVnd: body.goods?.valuationVnd ?? 0,
      ...(body.goods === undefined ? {} : { goodsDescription: body.goods.description }),
      fundedBy: fund === undefined ? body.fundedBy : { ...body.fundedBy, fund },
    },
  };
};

/**
 * The AssessmentRecorded event of a staff request, or 422 `scheme_not_applicable` naming what the scheme
 * does not cover. Recognition is taken from the scheme version now and kept in the event, so a later
 * scheme version never rewrites it. One result per subject, year and scheme version: retries collide.
 */
export const assessmentRecordedFrom = (
  body: z.infer<typeof AssessmentResultRequest>,
  principal: Principal,
  clock: Clock,
): AssessmentRecorded => {
  const judged = judgeUnderScheme(body.scheme, body.subject.kind, body.year, body.level);
  if (!judged.ok)
    throw new SchemeNotApplicable(judged.message, [{ path: "scheme", message: judged.message }]);
  const recordedAt = checkWhenAndWhere(body.occurredAt, body.unitCode, clock);
  return {
    eventId: derivedEventId(
      body.subject.subjectId,
      `assessed|${body.year}|${body.scheme.id}|${body.scheme.version}|${body.level}`,
    ),
    type: "AssessmentRecorded",
    schemaVersion: 1,
    occurredAt: body.occurredAt,
    recordedAt,
    unitCode: body.unitCode,
    source: { channel: "staff", contentHash: hashOf(body) },
    actor: actorOf(principal),
    data: {
      subject: body.subject,
      year: body.year,
      scheme: body.scheme,
      level: body.level,
      recognised: judged.recognised,
      assessedBy: body.assessedBy,
    },
  };
};

/** How many students one teacher may sponsor at a time, unless configured otherwise. */
export const DEFAULT_MAX_SPONSORED_PER_TEACHER = 2;

/** The 422 of a start beyond the maximum, naming the rule and `teacherId`. */
export const sponsorshipLimit = (max: number, active: number): SponsorshipLimit => {
  const message = `a teacher sponsors at most ${max} students at a time; this teacher already sponsors ${active}`;
  return new SponsorshipLimit(message, [{ path: "teacherId", message }]);
};

/**
 * Whether a teacher sponsoring `active` students may start one more. The count is state, so the route
 * decides it at the door with a conditional write on the teacher's set of active sponsorships, which both
 * checks and takes the place (packages/storage/sponsorship-slots.ts, docs/assessments.md#sponsorships).
 */
export const checkSponsorshipStart = (active: number, max = DEFAULT_MAX_SPONSORED_PER_TEACHER): void => {
  if (active >= max) throw sponsorshipLimit(max, active);
};

/** The AssessmentRegistered event of a staff request: one registration per subject and year, so retries collide. */
export const assessmentRegisteredFrom = (
  body: z.infer<typeof AssessmentRegistrationRequest>,
  principal: Principal,
  clock: Clock,
): AssessmentRegistered => {
  const recordedAt = checkWhenAndWhere(body.occurredAt, body.unitCode, clock);
  return {
    eventId: derivedEventId(body.subject.subjectId, `registered|${body.year}`),
    type: "AssessmentRegistered",
    schemaVersion: 1,
    occurredAt: body.occurredAt,
    recordedAt,
    unitCode: body.unitCode,
    source: { channel: "staff", contentHash: hashOf(body) },
    actor: actorOf(principal),
    data: { subject: body.subject, year: body.year },
  };
};
