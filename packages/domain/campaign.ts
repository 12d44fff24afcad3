import { createHash } from "node:crypto";
import type {
  CampaignClosed,
  CampaignCloseRequest,
  CampaignDefined,
  CampaignDefinition,
  CampaignDefinitionRequest,
  CampaignUpdated,
  CampaignUpdateRequest,
  CampaignWindow,
} from "#events/campaign.ts";
import { derivedEventId } from "./beneficiary.ts";
import {
  CampaignClosed as CampaignClosedError,
  CampaignNotFound,
  CampaignWindowReversed,
  UnitNotCovered,
} from "./campaign-errors.ts";
import { type Clock, canonicalJson, normalEventId } from "./donation.ts";
import { actorOf, type Principal } from "./principal.ts";
import type { Totals } from "./projection.ts";
import { toVietnamIso, vietnamDayOf } from "./time.ts";
import { unitOrRefusal } from "./unit-errors.ts";
import { rollsUpInto, validateUnitOnDate } from "./units.ts";

/** A campaign as the registry holds it: its definition now, and when it was closed if it was. */
export interface CampaignState {
  readonly definition: CampaignDefinition;
  /** The instant it was closed (ISO 8601 with offset); absent while it is open. */
  readonly closedAt?: string;
}

const hashOf = (value: unknown): string => createHash("sha256").update(canonicalJson(value)).digest("hex");

/** A window's first day must not be after its last; both are Vietnamese days, so they compare as text. */
const checkWindow = (window: CampaignWindow, path: string): void => {
  if (window.from <= window.to) return;
  const message = `must not be before window.from (${window.from})`;
  throw new CampaignWindowReversed(`the window ends (${window.to}) before it begins (${window.from})`, [
    { path, message },
  ]);
};

/**
 * The covered units, each named once, each a unit in force on the window's first day (a retired code is
 * told its successors). `VN` is the whole country on any day.
 */
const checkUnits = (units: readonly string[], firstDay: string, path: string): string[] => {
  const distinct = [...new Set(units)];
  distinct.forEach((code) => {
    if (code !== "VN") unitOrRefusal(validateUnitOnDate(code, firstDay), `${path}.${units.indexOf(code)}`);
  });
  return distinct;
};

/** The eventIds of a campaign's once-only events derive from its id: a retry is the same event. */
const campaignEventId = (campaignId: string, what: "defined" | "closed"): string =>
  derivedEventId(`campaign:${campaignId}`, what);

/** A definition in the one form the registry compares: goals always present, units named once. */
export const normalDefinition = (body: CampaignDefinitionRequest): CampaignDefinition => {
  checkWindow(body.window, "window.to");
  return { ...body, goals: body.goals ?? {}, units: checkUnits(body.units, body.window.from, "units") };
};

/** The content hash of a definition: equal for equal definitions, whatever the key order. */
export const definitionHash = (definition: CampaignDefinition): string => hashOf(definition);

/**
 * The CampaignDefined event of `POST /v1/campaigns`, or the 422 that says why not (a reversed window, a
 * unit not in force on the first day). Its eventId derives from the campaign id.
 */
export const campaignDefinedFrom = (
  body: CampaignDefinitionRequest,
  principal: Principal,
  clock: Clock,
): CampaignDefined => {
  const definition = normalDefinition(body);
  const { id, ...data } = definition;
  const recordedAt = toVietnamIso(clock.now());
  return {
    eventId: campaignEventId(id, "defined"),
    type: "CampaignDefined",
    schemaVersion: 1,
    occurredAt: recordedAt,
    recordedAt,
    unitCode: principal.scope,
    campaignId: id,
    source: { channel: "staff", contentHash: definitionHash(definition) },
    actor: actorOf(principal),
    data,
  };
};

/** The definition a CampaignDefined event holds. */
export const definitionOf = (event: CampaignDefined): CampaignDefinition => ({
  id: event.campaignId,
  ...event.data,
});

/**
 * The CampaignUpdated event of `POST /v1/campaigns/{id}/updates` and the definition it leads to, or the
 * 422 that says why not. A field given replaces the field (goals as a whole); units are checked on the
 * first day of the window that will be in force.
 */
export const campaignUpdatedFrom = (
  current: CampaignDefinition,
  body: CampaignUpdateRequest,
  principal: Principal,
  clock: Clock,
): { readonly event: CampaignUpdated; readonly next: CampaignDefinition } => {
  const { eventId, ...changes } = body;
  const merged = { ...current, ...changes };
  checkWindow(merged.window, changes.window ? "window.to" : "window");
  const next = { ...merged, units: checkUnits(merged.units, merged.window.from, "units") };
  const recordedAt = toVietnamIso(clock.now());
  return {
    event: {
      eventId: normalEventId(eventId ?? clock.newId()),
      type: "CampaignUpdated",
      schemaVersion: 1,
      occurredAt: recordedAt,
      recordedAt,
      unitCode: principal.scope,
      campaignId: current.id,
      source: { channel: "staff", contentHash: hashOf({ campaignId: current.id, changes }) },
      actor: actorOf(principal),
      data: { changes },
    },
    next,
  };
};

/** The CampaignClosed event of `POST /v1/campaigns/{id}/close`; a campaign closes once, so its id is derived. */
export const campaignClosedFrom = (
  campaignId: string,
  body: CampaignCloseRequest,
  principal: Principal,
  clock: Clock,
): CampaignClosed => {
  const recordedAt = toVietnamIso(clock.now());
  return {
    eventId: campaignEventId(campaignId, "closed"),
    type: "CampaignClosed",
    schemaVersion: 1,
    occurredAt: recordedAt,
    recordedAt,
    unitCode: principal.scope,
    campaignId,
    source: { channel: "staff", contentHash: hashOf({ campaignId, ...body }) },
    actor: actorOf(principal),
    data: body,
  };
};

/**
 * Whether a campaign covering `units` takes a pledge of `unitCode` dated on `day`: `VN` covers every
 * unit; otherwise the unit must be a covered one or roll up into one (a commune into its province, a
 * commune named before the 2025 reform into today's province).
 */
export const covers = (units: readonly string[], unitCode: string, day: string): boolean =>
  units.some((u) => u === "VN" || u === unitCode || rollsUpInto(u, unitCode, day));

/**
 * The door's rules for a pledge, on the campaign as the registry holds it: 404 when there is none, 422
 * `campaign_closed` when it was closed or the pledge's day (in Asia/Ho_Chi_Minh) is outside its window,
 * 422 `unit_not_covered` when its unit is outside the campaign. Returns when the pledge may be taken.
 */
export const admitPledge = (
  campaignId: string,
  campaign: CampaignState | undefined,
  pledge: { readonly unitCode: string; readonly occurredAt: string },
): void => {
  if (campaign === undefined) throw new CampaignNotFound(campaignId);
  const { window, units } = campaign.definition;
  const refuse = (message: string, path: string): never => {
    throw new CampaignClosedError(message, [{ path, message, code: "campaign_closed" }]);
  };
  if (campaign.closedAt !== undefined)
    refuse(`campaign ${campaignId} was closed at ${campaign.closedAt}`, "campaignId");
  const day = vietnamDayOf(pledge.occurredAt);
  if (day < window.from)
    refuse(
      `campaign ${campaignId} takes pledges from ${window.from}; this pledge is dated ${day} (Vietnam time)`,
      "occurredAt",
    );
  if (day > window.to)
    refuse(
      `campaign ${campaignId} took pledges until ${window.to}; this pledge is dated ${day} (Vietnam time)`,
      "occurredAt",
    );
  if (!covers(units, pledge.unitCode, day)) {
    const message = `unit ${pledge.unitCode} is outside campaign ${campaignId}, which covers ${units.join(", ")}`;
    throw new UnitNotCovered(message, [{ path: "unitCode", message, code: "unit_not_covered" }]);
  }
};

/** How far a figure has come towards its goal: whole percent, rounded down (100 is reached, not nearly). */
const towards = (reached: number, goal: number) => ({
  goal,
  ...(goal > 0 ? { percent: Math.floor((reached * 100) / goal) } : {}),
});

/** Progress against the goals that have a measure today. */
export interface Progress {
  /** Money and goods valued in money, pledged, against the VND goal. */
  readonly vnd?: { readonly pledgedVnd: number; readonly goal: number; readonly percent?: number };
  /** Pledges counted against the lượt goal. */
  readonly luot?: { readonly count: number; readonly goal: number; readonly percent?: number };
}

/**
 * A campaign's pledged totals against its goals. The VND goal counts money and goods valued in money,
 * as the association reports its figures; the items goal has no measure yet and is only shown as set.
 */
export const progressOf = (definition: CampaignDefinition, pledged: Totals): Progress => {
  const { moneyVnd, luot } = definition.goals;
  const pledgedVnd = pledged.moneyVnd + pledged.inKindVnd;
  return {
    ...(moneyVnd === undefined ? {} : { vnd: { pledgedVnd, ...towards(pledgedVnd, moneyVnd) } }),
    ...(luot === undefined ? {} : { luot: { count: pledged.count, ...towards(pledged.count, luot) } }),
  };
};

/** How much of what was pledged has arrived, in VND (money and goods valued in money). */
export interface Fulfilment {
  readonly pledgedVnd: number;
  readonly receivedVnd: number;
  /** Whole percent, rounded down; absent while nothing is pledged. May pass 100: money also arrives unpledged. */
  readonly percent?: number;
}

/** The fulfilment rate of a campaign: received against pledged, both money and goods valued in money. */
export const fulfilmentOf = (pledged: Totals, received: Totals): Fulfilment => {
  const pledgedVnd = pledged.moneyVnd + pledged.inKindVnd;
  const receivedVnd = received.moneyVnd + received.inKindVnd;
  return {
    pledgedVnd,
    receivedVnd,
    ...(pledgedVnd > 0 ? { percent: Math.floor((receivedVnd * 100) / pledgedVnd) } : {}),
  };
};
