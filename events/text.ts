import { z } from "zod";

/**
 * At least one character that is not white space. JavaScript's `\s` and JSON Schema's (ECMA-262) are
 * the same set, the one `String.prototype.trim` removes: a value matches exactly when trimming leaves
 * something.
 */
export const NOT_BLANK = /\S/u;

/** Length in characters (code points), as JSON Schema's maxLength counts; zod's `.max` counts UTF-16 units. */
export const characters = (value: string): number => [...value].length;

/**
 * Free text of at most `max` characters, blank allowed or not. The checks run on the text as sent,
 * then it is trimmed: trimming never turns a refused text into an accepted one, so the published
 * schema (pattern, maxLength) and the server decide alike.
 */
export const text = (max: number, blank: "allowed" | "refused") => {
  const counted = z.string().refine((value) => characters(value) <= max, `must be at most ${max} characters`);
  return (blank === "refused" ? counted.regex(NOT_BLANK, "must not be blank") : counted).trim().meta({
    maxLength: max,
    description: `At most ${max} characters (Unicode code points)${blank === "refused" ? ", not all white space" : ""}; trimmed when stored.`,
  });
};
