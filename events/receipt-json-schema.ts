import { z } from "zod";
import {
  CashReceiptRequest,
  CashReceived,
  GoodsReceiptRequest,
  GoodsReceived,
  IncomeReversalRequest,
  IncomeReversed,
} from "./payment.ts";

const body = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}`,
    title: name,
    description,
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
  },
});

const event = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.v1.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}:v1`,
    title: `${name} v1`,
    description,
    ...z.toJSONSchema(schema, { io: "output", target: "draft-2020-12" }),
  },
});

/** The JSON Schemas of the staff receipt bodies and their events, for json-schema.ts. */
export const receiptSchemas = (): Record<string, unknown> => ({
  ...body("CashReceiptRequest", CashReceiptRequest, "Body of POST /v1/receipts/cash: cash counted by staff."),
  ...body(
    "GoodsReceiptRequest",
    GoodsReceiptRequest,
    "Body of POST /v1/receipts/goods: goods received, with their valuation and who valued them.",
  ),
  ...body(
    "IncomeReversalRequest",
    IncomeReversalRequest,
    "Body of POST /v1/receipts/{eventId}/reversals: income given back or reversed by the bank.",
  ),
  ...event("CashReceived", CashReceived, "Staff counted cash into a fund."),
  ...event("GoodsReceived", GoodsReceived, "Staff received goods into a fund, valued in VND."),
  ...event("IncomeReversed", IncomeReversed, "Income recorded earlier leaves the fund and the campaign."),
});
