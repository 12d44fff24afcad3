import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { EventIdConflict, NotFound } from "#domain/errors.ts";
import { sponsorshipLimit } from "#domain/family-commands.ts";
import { sponsorshipEndedFrom, sponsorshipStartedFrom, startEventId } from "#domain/sponsorship-commands.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { SponsorshipEndRequest, SponsorshipStarted, SponsorshipStartRequest } from "#events/sponsorship.ts";
import type { SponsorshipSlots } from "#storage/sponsorship-slots.ts";
import type { Store } from "#storage/store.ts";
import type { LedgerReader } from "#storage/support-reader.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

type SponsorshipDeps = StaffDeps & { store: Store; ledger: LedgerReader; slots: SponsorshipSlots };

const conflict = (eventId: string) =>
  new EventIdConflict(`event ${eventId} was already recorded with other content`);

/**
 * `POST /v1/sponsorships`: a teacher starts sponsoring a student. The place is taken before the event is
 * enqueued, so a start beyond the maximum is 422 `sponsorship_limit` with nothing enqueued. A start already
 * in the ledger is answered again without touching the places: it may have ended since.
 */
export const startHandler = (deps: SponsorshipDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const body = parseJsonBody(request, SponsorshipStartRequest);
      authorize(principal, "record-support", body.unitCode, vietnamDayOf(body.occurredAt), deps.isWithin);
      const event = sponsorshipStartedFrom(body, principal, deps.clock);
      const answer = json(202, { sponsorshipId: event.sponsorshipId, eventId: event.eventId });
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined && recorded !== event.source.contentHash) throw conflict(event.eventId);
      if (recorded !== undefined) return answer;
      const taken = await deps.slots.take(body.teacherId, event.sponsorshipId);
      if (taken.outcome === "full") throw sponsorshipLimit(deps.slots.max, taken.active);
      await deps.store.enqueue(event);
      return answer;
    });

const Params = z.object({ sponsorshipId: z.uuid({ message: "must be a UUID" }) });

/**
 * `POST /v1/sponsorships/{sponsorshipId}/end`: the start is read from the ledger (404 when it is not there
 * yet), the end enqueued, then the place given back. In that order, and the place given back on every
 * retry, so a lost answer never leaves a place free while no end is recorded.
 */
export const endHandler = (deps: SponsorshipDeps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const { sponsorshipId } = parseParams(request.pathParameters, Params);
      const body = parseJsonBody(request, SponsorshipEndRequest);
      const start = await deps.ledger.recorded(startEventId(sponsorshipId));
      if (start === undefined) throw new NotFound(`no recorded sponsorship ${sponsorshipId}`);
      const started = SponsorshipStarted.parse(start.event);
      authorize(principal, "record-support", started.unitCode, vietnamDayOf(body.occurredAt), deps.isWithin);
      const event = sponsorshipEndedFrom(started, body, principal, deps.clock);
      const recorded = await deps.store.ledgerHash(event.eventId);
      if (recorded !== undefined && recorded !== event.source.contentHash) throw conflict(event.eventId);
      if (recorded === undefined) await deps.store.enqueue(event);
      await deps.slots.release(started.data.teacherId, sponsorshipId);
      return json(202, { sponsorshipId, eventId: event.eventId });
    });
