import { z } from "zod";
import { Vnd } from "./envelope.ts";
import { WELL_FORMED } from "./text.ts";

/**
 * Text as the bank sent it (never trimmed: it is a fact), of Unicode characters only: an unpaired
 * surrogate has no UTF-8 form, and the published schema must refuse what the server refuses.
 */
const bankText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(WELL_FORMED, "must be valid Unicode text: it holds an unpaired surrogate");

/** `YYYY-MM-DD HH:mm:ss` in Vietnam's local time, as notifiers send it, or an ISO 8601 date-time with an offset. */
const TRANSACTION_DATE =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])[ T](?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)?$/;

/**
 * The body of `POST /v1/payments/bank-transfer`, in the shape Vietnamese bank-transfer notifiers (SePay
 * and the like) send. Only an authenticated body is read at all (functions/payments/bank-transfer.ts).
 * Fields this schema does not name are accepted and dropped: notifiers add fields over time, and
 * refusing one would make the notifier retry the same transfer forever.
 * @example see events/examples/bank-transfer.json
 */
export const BankTransferNotification = z.object({
  /** The notifier's id of the transaction: its retries repeat it. */
  id: z.union([z.number().int().nonnegative(), z.string().regex(/^[0-9A-Za-z_.:-]{1,64}$/)]),
  gateway: bankText(1, 64),
  transactionDate: z
    .string()
    .regex(TRANSACTION_DATE, "must be YYYY-MM-DD HH:mm:ss (Vietnam time) or with an offset"),
  accountNumber: bankText(1, 32),
  content: bankText(0, 1000),
  transferType: z.enum(["in", "out"]),
  transferAmount: Vnd,
  referenceCode: bankText(0, 128).nullish(),
  /** What notifiers add and the association does not use; typed only as loosely as they send them. */
  accumulated: z.number().nullish(),
  subAccount: bankText(0, 64).nullish(),
  code: bankText(0, 64).nullish(),
  description: bankText(0, 2000).nullish(),
});
export type BankTransferNotification = z.infer<typeof BankTransferNotification>;
