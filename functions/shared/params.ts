import type { z } from "zod";
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
