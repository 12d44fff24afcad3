import { readFileSync } from "node:fs";
import type { ErrorObject } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import formats from "ajv-formats";

/**
 * The validator a form author would use on the published files: Ajv for JSON Schema draft 2020-12 with
 * ajv-formats asserting `format` (full date-time, uuid). Nothing here knows the zod source.
 */
const ajv = new Ajv2020({ allErrors: true, strict: true });
// ajv-formats is CommonJS: its plugin is the default export of the module object.
formats.default(ajv, { mode: "full" });

export interface Verdict {
  readonly valid: boolean;
  readonly errors: readonly ErrorObject[];
}

/** A validator for one file of events/schemas/, compiled once. */
export const publishedSchema = (file: string): ((body: unknown) => Verdict) => {
  const schema = JSON.parse(readFileSync(`events/schemas/${file}`, "utf8")) as { $id: string };
  const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
  return (body) => {
    const valid = validate(body) === true;
    return { valid, errors: validate.errors ?? [] };
  };
};
