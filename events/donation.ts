import { z } from "zod";
import { OffsetDateTime } from "./date-time.ts";
import { CampaignId, envelopeFields, UnitCode, Vnd } from "./envelope.ts";
import { text } from "./text.ts";

/** Who gives. `anonymous` hides the name from the public only; internally the money stays traceable. */
export const Donor = z.strictObject({
  kind: z.enum(["individual", "business", "organization", "school", "class"]),
  name: text(200, "refused"),
  anonymous: z.boolean().default(false),
});

/** Money as integer VND, or goods with the VND value they were given and how that was arrived at. */
export const Contribution = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("money"), amountVnd: Vnd }),
  z.strictObject({
    kind: z.literal("in-kind"),
    description: text(500, "refused"),
    valuationVnd: Vnd,
    valuationBasis: text(300, "allowed").optional(),
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
  message: text(500, "allowed").optional(),
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
    message: text(500, "allowed").optional(),
  }),
});
export type DonationPledged = z.infer<typeof DonationPledged>;
