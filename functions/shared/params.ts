import { z } from "zod";
import { ValidationFailed } from "#domain/errors.ts";
import { issuesOf } from "./http.ts";

/** Validates path or query parameters as the body is validated: a 400 naming each bad parameter. */
export const parseParams = <S extends z.ZodType>(
  values: Record<string, string | undefined> | undefined,
  schema: S,
): z.infer<S> => {
  const parsed = schema.safeParse(values ?? {}, {
    error: (issue) => (issue.input === undefined ? "is required" : undefined),
  });
  if (!parsed.success)
    throw new ValidationFailed("the request parameters are not valid", issuesOf(parsed.error));
  return parsed.data;
};

/**
 * A page size in a query string: plain decimal digits, 1 to `max`, 50 when absent. `z.coerce.number()`
 * alone took `1e1`, `0x10` and ` 5`, and said "Too small: expected number to be >=1" of a blank one.
 */
export const pageLimit = (max: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${max}`)
    .transform(Number)
    .refine((n) => n >= 1 && n <= max, `must be a whole number from 1 to ${max}`)
    .optional()
    .transform((n) => n ?? 50);
