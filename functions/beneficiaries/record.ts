import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import type { z } from "zod";
import type { Clock } from "#domain/donation.ts";
import { EventIdConflict } from "#domain/errors.ts";
import { assessmentRecordedFrom, assessmentRegisteredFrom } from "#domain/family-commands.ts";
import type { Action } from "#domain/permissions.ts";
import type { Principal } from "#domain/principal.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { AssessmentRegistrationRequest, AssessmentResultRequest } from "#events/assessment.ts";
import type { DomainEvent } from "#events/index.ts";
import type { Store } from "#storage/store.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

/**
 * A staff route that turns a body into one event: signed in, scoped to the event's unit on its date, the
 * rules of the domain (422s), then the queue. A retry with the same id and content is accepted again;
 * other content under that id is a 409.
 */
const recordHandler =
  <S extends z.ZodType<{ unitCode: string; occurredAt: string }>>(
    schema: S,
    action: Action,
    toEvent: (body: z.infer<S>, principal: Principal, clock: Clock) => DomainEvent,
  ) =>
  (deps: StaffDeps & { store: Store }) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(httpErrors(deps.log))
      .handler(async (request) => {
        const principal = await deps.authenticate(request);
        const body = parseJsonBody(request, schema);
        authorize(principal, action, body.unitCode, vietnamDayOf(body.occurredAt), deps.isWithin);
        const event = toEvent(body, principal, deps.clock);
        const recorded = await deps.store.ledgerHash(event.eventId);
        if (recorded !== undefined && recorded !== event.source.contentHash)
          throw new EventIdConflict(`event ${event.eventId} was already recorded with other content`);
        if (recorded === undefined) await deps.store.enqueue(event);
        return json(202, { eventId: event.eventId });
      });

/** `POST /v1/assessments/results`: a result under a named scheme version (docs/assessments.md). */
export const assessmentResultHandler = recordHandler(
  AssessmentResultRequest,
  "record-assessment",
  assessmentRecordedFrom,
);

/** `POST /v1/assessments/registrations`: a subject registers to be assessed for a year. */
export const assessmentRegistrationHandler = recordHandler(
  AssessmentRegistrationRequest,
  "record-assessment",
  assessmentRegisteredFrom,
);
