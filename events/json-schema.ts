import { z } from "zod";
import { BankTransferNotification } from "./bank-transfer.ts";
import { beneficiarySchemas } from "./beneficiary-json-schema.ts";
import { campaignSchemas } from "./campaign-json-schema.ts";
import { DonationForm, DonationPledged } from "./donation.ts";
import { familySchemas } from "./families-json-schema.ts";
import { TransferResolutionRequest } from "./payment.ts";
import { receiptSchemas } from "./receipt-json-schema.ts";

/**
 * JSON Schemas generated from the zod schemas, for web-form authors and other producers. The zod
 * schemas are the source; `npm run schemas` rewrites events/schemas/, and a test fails if it is stale.
 */
export const jsonSchemas = (): Record<string, unknown> => ({
  ...beneficiarySchemas(),
  ...familySchemas(),
  ...campaignSchemas(),
  // What a notifier sends: fields it adds beyond these are accepted and dropped (additionalProperties).
  "BankTransferNotification.schema.json": {
    $id: "urn:khuyenhoc:schema:BankTransferNotification",
    title: "BankTransferNotification",
    description:
      "Body of POST /v1/payments/bank-transfer, signed by the notifier (HMAC-SHA256, docs/payments.md).",
    ...z.toJSONSchema(BankTransferNotification, { io: "input", target: "draft-2020-12" }),
  },
  "TransferResolutionRequest.schema.json": {
    $id: "urn:khuyenhoc:schema:TransferResolutionRequest",
    title: "TransferResolutionRequest",
    description:
      "Body of POST /v1/payments/{transferId}/match: staff attribute an unmatched transfer or dismiss it.",
    ...z.toJSONSchema(TransferResolutionRequest, { io: "input", target: "draft-2020-12" }),
  },
  ...receiptSchemas(),
  // What a form may send (defaults optional), so the input side.
  "DonationForm.schema.json": {
    $id: "urn:khuyenhoc:schema:DonationForm",
    title: "DonationForm",
    description: "Body of POST /v1/donations: a web-form pledge of money or goods valued in VND.",
    ...z.toJSONSchema(DonationForm, { io: "input", target: "draft-2020-12" }),
  },
  "DonationPledged.v1.schema.json": {
    $id: "urn:khuyenhoc:schema:DonationPledged:v1",
    title: "DonationPledged v1",
    description: "The event the ledger holds for a web-form pledge (envelope + data).",
    ...z.toJSONSchema(DonationPledged, { io: "output", target: "draft-2020-12" }),
  },
});
