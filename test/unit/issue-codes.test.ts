import { describe, expect, it } from "vitest";
import { z } from "zod";
import { text } from "#events/text.ts";
import { issuesOf } from "#functions/shared/http.ts";

const schema = z.strictObject({
  name: text(5, "refused"),
  amount: z.number().int().min(1000),
  dateOfBirth: z.iso.date(),
});

const codesFor = (body: unknown) => {
  const parsed = schema.safeParse(body);
  if (parsed.success) throw new Error("expected a refusal");
  return Object.fromEntries(issuesOf(parsed.error).map((i) => [i.path, i.code]));
};

describe("issue codes", () => {
  it("gives each kind of refusal a stable code beside its path and message", () => {
    // given a body with a blank name, a too small amount, a bad date and an unknown field
    const body = { name: "   ", amount: 5, dateOfBirth: "2014-13-40", extra: 1 };
    // when it is judged
    const codes = codesFor(body);
    // then each issue carries the code a form translates
    expect(codes).toEqual({
      name: "blank",
      amount: "too_small",
      dateOfBirth: "invalid_date",
      "": "unknown_field",
    });
  });

  it("says too_long of text and invalid_type of a wrong type", () => {
    expect(codesFor({ name: "abcdefg", amount: "5", dateOfBirth: "2014-01-01" })).toEqual({
      name: "too_long",
      amount: "invalid_type",
    });
  });
});
