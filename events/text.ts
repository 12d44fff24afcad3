import { z } from "zod";

/**
 * At least one character that is not white space. JavaScript's `\s` and JSON Schema's (ECMA-262) are
 * the same set, the one `String.prototype.trim` removes: a value matches exactly when trimming leaves
 * something.
 */
export const NOT_BLANK = /\S/u;

/**
 * Unicode text, which JSON strings need not be: no unpaired surrogate (`"\ud800"`), which has no UTF-8
 * encoding and so no faithful place in DynamoDB, SQS or an export. Written to mean the same whether a
 * validator reads it by code points (the `u` flag, as Ajv does) or by UTF-16 units: a code point that is
 * not a surrogate, or a high surrogate followed by a low one.
 */
export const WELL_FORMED = /^(?:[^\uD800-\uDFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF])*$/u;

/**
 * Free text of at most `max` characters, blank allowed or not. Characters are code points, as JSON
 * Schema's maxLength counts them (zod 4.6 counts code points too; test/unit/schemas.test.ts pins it with
 * emoji, two UTF-16 units each). The checks run on the text as sent, then it is trimmed: trimming never
 * turns a refused text into an accepted one, so the published schema and the server decide alike.
 */
export const text = (max: number, blank: "allowed" | "refused") => {
  const counted = z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(WELL_FORMED, "must be valid Unicode text: it holds an unpaired surrogate");
  return (blank === "refused" ? counted.regex(NOT_BLANK, "must not be blank") : counted).trim().meta({
    description: `At most ${max} characters (Unicode code points, no unpaired surrogate)${blank === "refused" ? ", not all white space" : ""}; trimmed when stored.`,
  });
};
