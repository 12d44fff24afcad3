import { z } from "zod";
import { CALENDAR_DAY_PATTERN } from "./date-time.ts";
import { CampaignId, staffEnvelopeFields, UnitCode } from "./envelope.ts";
import { text } from "./text.ts";

/** The kinds of campaign the association runs each year (docs/campaigns.md). */
export const campaignKinds = [
  "september-study-month",
  "lifelong-learning-week",
  "study-promotion-day-2-10",
  "piggy-bank-drive",
  "bookshelf-project",
  "building-project",
  "other",
] as const;
export const CampaignKind = z.enum(campaignKinds);
export type CampaignKind = z.infer<typeof CampaignKind>;

/** A day in Asia/Ho_Chi_Minh, `YYYY-MM-DD`, that exists on the calendar. */
export const CalendarDay = z
  .string()
  .regex(CALENDAR_DAY_PATTERN, "must be a day YYYY-MM-DD that exists, from 2000-01-01 to 2999-12-31")
  .meta({ format: "date", description: "A calendar day in Asia/Ho_Chi_Minh, e.g. 2026-09-01." });

/**
 * The days a campaign takes pledges, both ends included, read in Asia/Ho_Chi_Minh. `from` after `to` is
 * a rule across two fields: the server answers it with 422 `campaign_window_reversed`.
 */
export const CampaignWindow = z.strictObject({ from: CalendarDay, to: CalendarDay });
export type CampaignWindow = z.infer<typeof CampaignWindow>;

const count = (max: number, what: string) =>
  z
    .number()
    .int(`must be a whole number of ${what}`)
    .min(0, "must not be negative")
    .max(max, `must be at most ${max.toLocaleString("en-US")}`);

/** What the campaign aims for; each is optional. A lượt is one support instance (docs/campaigns.md). */
export const CampaignGoals = z.strictObject({
  moneyVnd: count(1_000_000_000_000_000, "VND").optional(),
  luot: count(100_000_000, "lượt").optional(),
  items: count(100_000_000, "items").optional(),
});
export type CampaignGoals = z.infer<typeof CampaignGoals>;

/** The campaign's name as the public reads it, in Vietnamese and in English. */
export const CampaignNames = z.strictObject({ vi: text(200, "refused"), en: text(200, "refused") });

/** A unit a campaign covers: `VN` for the whole country, or a province or commune code. */
export const CoveredUnit = z.union([z.literal("VN"), UnitCode]);

/** The units a campaign covers, read on its first day; a pledge counts if its unit rolls up into one. */
export const CoveredUnits = z
  .array(CoveredUnit)
  .min(1, "must name at least one unit")
  .max(100, "must name at most 100 units");

/**
 * A bank account in the form VietQR names it: the bank's 6-digit BIN (NAPAS), the account number, and
 * the account holder's name as the bank shows it (capitals without diacritics, as banks print them).
 */
export const BankAccount = z.strictObject({
  bankBin: z.string().regex(/^\d{6}$/, "must be the bank's 6-digit BIN"),
  accountNumber: z.string().regex(/^[0-9A-Za-z]{4,19}$/, "must be 4-19 letters or digits"),
  accountName: z
    .string()
    .regex(/^[A-Z0-9 .,&()-]{1,50}$/, "must be 1-50 capitals, digits, spaces or . , & ( ) -"),
});
export type BankAccount = z.infer<typeof BankAccount>;

/**
 * The body of `POST /v1/campaigns` (association-admin), and the shape of each file in data/campaigns/.
 * @example see events/examples/campaign-defined.json
 */
export const CampaignDefinitionRequest = z.strictObject({
  id: CampaignId,
  name: CampaignNames,
  kind: CampaignKind,
  window: CampaignWindow,
  goals: CampaignGoals.optional(),
  units: CoveredUnits,
  /** Money given to this campaign may be spent on this purpose only (Decree 03/2026/NĐ-CP). */
  restrictedPurpose: text(500, "refused").optional(),
  /** The association whose fund receives the money: `VN` (central), a province or a commune. Defaults
   *  to the single covered unit, or `VN` when it covers several. */
  fundUnit: CoveredUnit.optional(),
  /** Where donors transfer money; the pledge answer's VietQR payload names it. */
  bankAccount: BankAccount.optional(),
});
export type CampaignDefinitionRequest = z.infer<typeof CampaignDefinitionRequest>;

/** A campaign as it stands: the definition with its goals always present. */
export const CampaignDefinition = CampaignDefinitionRequest.extend({ goals: CampaignGoals });
export type CampaignDefinition = z.infer<typeof CampaignDefinition>;

/**
 * The body of `POST /v1/campaigns/{campaignId}/updates`: only what changes. The restricted purpose never
 * changes, since donors gave under it. `eventId` makes a retry safe, as for a pledge.
 * @example see events/examples/campaign-updated.json
 */
export const CampaignUpdateRequest = z.strictObject({
  eventId: z.uuid({ message: "must be a UUID" }).optional(),
  name: CampaignNames.optional(),
  kind: CampaignKind.optional(),
  window: CampaignWindow.optional(),
  goals: CampaignGoals.optional(),
  units: CoveredUnits.optional(),
});
export type CampaignUpdateRequest = z.infer<typeof CampaignUpdateRequest>;

/**
 * The body of `POST /v1/campaigns/{campaignId}/close`: from then on every pledge to it is refused.
 * @example see events/examples/campaign-closed.json
 */
export const CampaignCloseRequest = z.strictObject({ reason: text(500, "allowed").optional() });
export type CampaignCloseRequest = z.infer<typeof CampaignCloseRequest>;

/**
 * Campaign events are the association's, not one unit's: the envelope's unit is the scope of the admin
 * who acted (`VN` or a province), which is also where the audit index files them.
 */
const campaignEnvelope = { ...staffEnvelopeFields, unitCode: CoveredUnit, campaignId: CampaignId };

/** An association admin defined a campaign: its names, kind, window, goals, units and purpose. */
export const CampaignDefined = z.strictObject({
  ...campaignEnvelope,
  type: z.literal("CampaignDefined"),
  schemaVersion: z.literal(1),
  data: CampaignDefinition.omit({ id: true }),
});
export type CampaignDefined = z.infer<typeof CampaignDefined>;

/** An association admin changed a campaign; `changes` holds only what changed. */
export const CampaignUpdated = z.strictObject({
  ...campaignEnvelope,
  type: z.literal("CampaignUpdated"),
  schemaVersion: z.literal(1),
  data: z.strictObject({ changes: CampaignUpdateRequest.omit({ eventId: true }) }),
});
export type CampaignUpdated = z.infer<typeof CampaignUpdated>;

/** An association admin closed a campaign: pledges to it are refused from then on. */
export const CampaignClosed = z.strictObject({
  ...campaignEnvelope,
  type: z.literal("CampaignClosed"),
  schemaVersion: z.literal(1),
  data: CampaignCloseRequest,
});
export type CampaignClosed = z.infer<typeof CampaignClosed>;
