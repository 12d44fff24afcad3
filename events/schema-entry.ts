import { z } from "zod";

/**
 * One published schema file of a request body, `<name>.schema.json`: what a client sends (zod's input
 * side, so defaults are optional), named by a stable `$id`.
 */
export const bodySchema = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}`,
    title: name,
    description,
    ...z.toJSONSchema(schema, { io: "input", target: "draft-2020-12" }),
  },
});

/** One published schema file of an event, `<name>.v1.schema.json`: what the ledger holds (zod's output side). */
export const eventSchema = (name: string, schema: z.ZodType, description: string) => ({
  [`${name}.v1.schema.json`]: {
    $id: `urn:khuyenhoc:schema:${name}:v1`,
    title: `${name} v1`,
    description,
    ...z.toJSONSchema(schema, { io: "output", target: "draft-2020-12" }),
  },
});
