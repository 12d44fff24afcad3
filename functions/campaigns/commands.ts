import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import {
  campaignClosedFrom,
  campaignDefinedFrom,
  campaignUpdatedFrom,
  definitionOf,
} from "#domain/campaign.ts";
import { CampaignClosed, CampaignExists, CampaignNotFound } from "#domain/campaign-errors.ts";
import { Busy, EventIdConflict } from "#domain/errors.ts";
import type { Principal } from "#domain/principal.ts";
import type { IsWithin } from "#domain/scope.ts";
import {
  CampaignCloseRequest,
  type CampaignDefined,
  CampaignDefinitionRequest,
  CampaignUpdateRequest,
} from "#events/campaign.ts";
import { CampaignId } from "#events/envelope.ts";
import type { DomainEvent } from "#events/index.ts";
import type { CampaignRegistry } from "#storage/campaigns.ts";
import type { Store } from "#storage/store.ts";
import { httpErrors, json, parseJsonBody } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";
import { authorize, type StaffDeps } from "../shared/staff.ts";

/** What the campaign commands need: the registry they decide on and the store that queues the event. */
export interface CampaignCommandDeps {
  readonly registry: CampaignRegistry;
  readonly store: Pick<Store, "ledgerHash" | "enqueue">;
}

/** Queues an event unless the ledger has it: a retry after a lost answer queues nothing new. */
const enqueueOnce = async (store: CampaignCommandDeps["store"], event: DomainEvent): Promise<void> => {
  if ((await store.ledgerHash(event.eventId)) === undefined) await store.enqueue(event);
};

/**
 * Creates a campaign's registry item, then queues its event for the ledger. The same definition again
 * (a retry, or `npm start` on a stack that has it) changes nothing; another one under the id is a 409.
 * Registry first: it is what decides, and an event queued for a refused definition could not be unsent.
 */
export const recordDefinition = async (deps: CampaignCommandDeps, event: CampaignDefined): Promise<void> => {
  const outcome = await deps.registry.define(definitionOf(event), event.source.contentHash);
  if (outcome.result === "exists" && outcome.record.definedHash !== event.source.contentHash) {
    const message = `campaign ${event.campaignId} is already defined with other content; change it with POST /v1/campaigns/${event.campaignId}/updates`;
    throw new CampaignExists(message, [{ path: "id", message }]);
  }
  await enqueueOnce(deps.store, event);
};

/** An admin may manage a campaign only when every unit it covers is inside the admin's scope. */
const authorizeUnits = (principal: Principal, units: readonly string[], day: string, isWithin: IsWithin) => {
  for (const unit of units) authorize(principal, "manage-campaigns", unit, day, isWithin);
};

const Path = z.object({ campaignId: CampaignId });

type Deps = StaffDeps & CampaignCommandDeps;

const staffRoute = (deps: Deps) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().use(httpErrors(deps.log));

/** `POST /v1/campaigns` (association-admin): defines a campaign (docs/campaigns.md). */
export const defineCampaignHandler = (deps: Deps) =>
  staffRoute(deps).handler(async (request) => {
    const principal = await deps.authenticate(request);
    const body = parseJsonBody(request, CampaignDefinitionRequest);
    authorizeUnits(principal, body.units, body.window.from, deps.isWithin);
    const event = campaignDefinedFrom(body, principal, deps.clock);
    await recordDefinition(deps, event);
    return json(202, { campaignId: event.campaignId, eventId: event.eventId });
  });

/** Rounds of read-then-conditional-write before a busy campaign is left to the client's retry. */
const MAX_ROUNDS = 5;

/**
 * `POST /v1/campaigns/{campaignId}/updates` (association-admin): changes a campaign that is still open.
 * Decided on a consistent read and a write conditional on the revision read, so two concurrent updates
 * never overwrite each other unseen. An update whose eventId the registry already holds is a retry.
 */
export const updateCampaignHandler = (deps: Deps) =>
  staffRoute(deps).handler(async (request) => {
    const principal = await deps.authenticate(request);
    const { campaignId } = parseParams(request.pathParameters, Path);
    const body = parseJsonBody(request, CampaignUpdateRequest);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const record = await deps.registry.read(campaignId);
      if (record === undefined) throw new CampaignNotFound(campaignId);
      const { definition } = record;
      authorizeUnits(principal, definition.units, definition.window.from, deps.isWithin);
      const { event, next } = campaignUpdatedFrom(definition, body, principal, deps.clock);
      authorizeUnits(principal, next.units, next.window.from, deps.isWithin);
      const hash = event.source.contentHash;
      const recorded = body.eventId === undefined ? undefined : await deps.store.ledgerHash(event.eventId);
      const applied = record.applied.get(event.eventId) ?? recorded;
      if (applied !== undefined && applied !== hash)
        throw new EventIdConflict(`eventId ${event.eventId} was already used for other content`);
      if (applied === undefined) {
        if (record.closedAt !== undefined) {
          const message = `campaign ${campaignId} was closed at ${record.closedAt}`;
          throw new CampaignClosed(message, [{ path: "campaignId", message }]);
        }
        if (!(await deps.registry.update(next, record.revision, event.eventId, hash))) continue;
      }
      await enqueueOnce(deps.store, event);
      return json(202, { campaignId, eventId: event.eventId });
    }
    throw new Busy("the campaign is being changed by someone else; please retry in a moment", 1);
  });

/**
 * `POST /v1/campaigns/{campaignId}/close` (association-admin): from now on every pledge to it is refused.
 * Closing a closed campaign changes nothing and answers as the first close did.
 */
export const closeCampaignHandler = (deps: Deps) =>
  staffRoute(deps).handler(async (request) => {
    const principal = await deps.authenticate(request);
    const { campaignId } = parseParams(request.pathParameters, Path);
    const body = parseJsonBody(request, CampaignCloseRequest);
    const record = await deps.registry.read(campaignId);
    if (record === undefined) throw new CampaignNotFound(campaignId);
    const { definition } = record;
    authorizeUnits(principal, definition.units, definition.window.from, deps.isWithin);
    const event = campaignClosedFrom(campaignId, body, principal, deps.clock);
    let closedAt = record.closedAt;
    if (closedAt === undefined && (await deps.registry.close(campaignId, event.occurredAt))) {
      closedAt = event.occurredAt;
    }
    // Refused: closed meanwhile, perhaps by this very call's write whose answer was lost.
    closedAt ??= (await deps.registry.read(campaignId))?.closedAt ?? event.occurredAt;
    await enqueueOnce(deps.store, event);
    return json(202, { campaignId, eventId: event.eventId, closedAt });
  });
