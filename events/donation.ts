import { z } from "zod";
import { CampaignId, envelopeFields, OffsetDateTime, UnitCode, Vnd } from "./envelope.ts";

/** Who gives. `anonymous` hides the name from the public only; internally the money stays traceable. */
export const Donor = z.strictObject({
  kind: z.enum(["individual", "business", "organization", "school", "class"]),
  name: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  anonymous: z.boolean().default(false),
});

/** Money as integer VND, or goods with the VND value they were given and how that was arrived at. */
export const Contribution = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("money"), amountVnd: Vnd }),
  z.strictObject({
    kind: z.literal("in-kind"),
    description: z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters"),
    valuationVnd: Vnd,
    valuationBasis: z.string().trim().max(300).optional(),
  }),
]);

/**
 * The body a public web form posts to `POST /v1/donations`.
 * @example see events/examples/donation-form.json
 */
export const DonationForm = z.strictObject({
  /** Set by the form for safe retries: the same id and body is counted once. */
  eventId: z.uuid({ message: "must be a UUID" }).optional(),
  campaignId: CampaignId,
  unitCode: UnitCode,
  /** When the donor gave; defaults to when the request arrived. */
  occurredAt: OffsetDateTime.optional(),
  donor: Donor,
  contribution: Contribution,
  message: z.string().trim().max(500, "must be at most 500 characters").optional(),
});
export type DonationForm = z.infer<typeof DonationForm>;

/** A donor pledged money or goods to a campaign through a web form. Counted as pledged, not yet received. */
export const DonationPledged = z.strictObject({
  ...envelopeFields,
  type: z.literal("DonationPledged"),
  schemaVersion: z.literal(1),
  campaignId: CampaignId,
  data: z.strictObject({
    donor: Donor,
    contribution: Contribution,
    message: z.string().optional(),
  }),
});
export type DonationPledged = z.infer<typeof DonationPledged>;
