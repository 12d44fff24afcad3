import {
  CashReceiptRequest,
  CashReceived,
  GoodsReceiptRequest,
  GoodsReceived,
  IncomeReversalRequest,
  IncomeReversed,
} from "./payment.ts";
import { bodySchema, eventSchema } from "./schema-entry.ts";

/** The JSON Schemas of the staff receipt bodies and their events, for json-schema.ts. */
export const receiptSchemas = (): Record<string, unknown> => ({
  ...bodySchema(
    "CashReceiptRequest",
    CashReceiptRequest,
    "Body of POST /v1/receipts/cash: cash counted by staff.",
  ),
  ...bodySchema(
    "GoodsReceiptRequest",
    GoodsReceiptRequest,
    "Body of POST /v1/receipts/goods: goods received, with their valuation and who valued them.",
  ),
  ...bodySchema(
    "IncomeReversalRequest",
    IncomeReversalRequest,
    "Body of POST /v1/receipts/{eventId}/reversals: income given back or reversed by the bank.",
  ),
  ...eventSchema("CashReceived", CashReceived, "Staff counted cash into a fund."),
  ...eventSchema("GoodsReceived", GoodsReceived, "Staff received goods into a fund, valued in VND."),
  ...eventSchema(
    "IncomeReversed",
    IncomeReversed,
    "Income recorded earlier leaves the fund and the campaign.",
  ),
});
