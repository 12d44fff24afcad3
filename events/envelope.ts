import { z } from "zod";
import { OffsetDateTime } from "./date-time.ts";

/**
 * Administrative unit code under Decision 19/2025/QĐ-TTg: 2 digits for a province, 5 for a commune or ward.
 * An event keeps the code that was valid on its date; later mergers are mapped at read time.
 */
export const UnitCode = z
  .string()
  .regex(/^\d{2}(\d{3})?$/, "must be an administrative unit code: 2 digits (province) or 5 digits (commune)");

/** A campaign's slug, e.g. `thang-9-khuyen-hoc-2026`. */
export const CampaignId = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/,
    "must be 1-64 lowercase letters, digits or hyphens, not starting or ending with a hyphen",
  );

/** Integer VND: the đồng has no subunit in use, and floats would lose đồng at scale. */
export const Vnd = z
  .number()
  .int("must be a whole number of VND")
  .positive("must be more than 0 VND")
  .max(1_000_000_000_000, "must be at most 1,000,000,000,000 VND");

export const Source = z.object({
  channel: z.enum(["web-form", "staff", "payment-notifier"]),
  /** SHA-256 of the submitted content (without eventId): tells a retry from a reuse of an eventId. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
});

/**
 * Fields every event carries. `schemaVersion` is per event type; a new version is a new schema in the
 * union, and projectors fold every version they have ever accepted (the ledger keeps them all).
 */
export const envelopeFields = {
  eventId: z.uuid(),
  schemaVersion: z.number().int().positive(),
  occurredAt: OffsetDateTime,
  recordedAt: OffsetDateTime,
  unitCode: UnitCode,
  source: Source,
};

/** The roles staff sign in with (packages/domain/principal.ts says what each may do). */
export const staffRoles = ["association-admin", "unit-staff", "auditor", "reporter"] as const;

/** The staff member behind an event: the token's subject and role, never a name. */
export const Actor = z.strictObject({
  subject: z.string().min(1).max(128),
  role: z.enum(staffRoles),
});
export type Actor = z.infer<typeof Actor>;

/** The envelope of an event a signed-in staff member submitted: who did it travels with what was done. */
export const staffEnvelopeFields = { ...envelopeFields, actor: Actor };
