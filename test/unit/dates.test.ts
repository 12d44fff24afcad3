import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_MINUTES, pledgeFromForm } from "#domain/donation.ts";
import { OccurredAtInFuture } from "#domain/errors.ts";
import { DonationForm } from "#events/donation.ts";
import { publishedSchema } from "../helpers/contract.ts";
import { aDonationForm, fixedClock } from "../helpers/events.ts";

const ajv = publishedSchema("DonationForm.schema.json");
/** The form with `occurredAt`, as the server (zod) and a form author (Ajv on the published file) see it. */
const judged = (occurredAt: string) => {
  const body = { ...aDonationForm(), occurredAt };
  const server = DonationForm.safeParse(body);
  return {
    server: server.success,
    schema: ajv(body).valid,
    messages:
      server.error?.issues.filter((i) => i.path.join(".") === "occurredAt").map((i) => i.message) ?? [],
  };
};

describe("occurredAt: a real calendar instant with an offset, from 2000-01-01", () => {
  it.each([
    ["2000-01-01T00:00:00+07:00", "the first day"],
    ["2000-01-01T00:00:00Z", "the first day in UTC"],
    ["2000-01-01T00:00:00-12:00", "the first day, west of UTC"],
    ["2000-02-29T12:00:00Z", "29 February of 2000 (divisible by 400)"],
    ["2024-02-29T12:00:00+07:00", "29 February of a leap year"],
    ["2026-09-05T09:30:00.123456789+07:00", "fractions of a second"],
    ["2026-09-05T09:30:00-00:00", "an unknown local offset"],
    ["2026-09-05T23:59:59+23:59", "the widest offset"],
    ["2026-12-31T23:59:59Z", "the last second of a year"],
  ])("accepts %s (%s), on both sides", (occurredAt) => {
    expect(judged(occurredAt)).toEqual({ server: true, schema: true, messages: [] });
  });

  it.each([
    ["0000-01-01T00:00:00Z", "must be on or after 2000-01-01; the year 0000 is before it"],
    ["0999-12-31T23:59:59Z", "must be on or after 2000-01-01; the year 0999 is before it"],
    ["1999-12-31T23:59:59+07:00", "must be on or after 2000-01-01; the year 1999 is before it"],
    ["1999-12-31T23:59:59-12:00", "must be on or after 2000-01-01; the year 1999 is before it"],
    ["2026-02-30T10:00:00+07:00", "2026-02-30 does not exist: February 2026 has 28 days"],
    ["2026-02-29T10:00:00+07:00", "2026-02-29 does not exist: February 2026 has 28 days"],
    ["2100-02-29T10:00:00Z", "2100-02-29 does not exist: February 2100 has 28 days"],
    ["2026-04-31T10:00:00+07:00", "2026-04-31 does not exist: April 2026 has 30 days"],
    ["2026-13-01T10:00:00+07:00", "2026-13: month 13 does not exist"],
    ["2026-09-05T24:00:00+07:00", "24:00:00 is not a time of day (00:00:00 to 23:59:59)"],
    ["2026-09-05T23:59:60Z", "23:59:60 is not a time of day (00:00:00 to 23:59:59)"],
    ["2026-09-05T09:30:00+24:00", "+24:00 is not an offset (-23:59 to +23:59)"],
    [
      "2026-09-05T09:30:00",
      "must end with an offset (Z or ±hh:mm), e.g. 2026-09-05T09:30:00+07:00: without one the time is ambiguous",
    ],
    [
      "2026-09-05 09:30:00+07:00",
      "must be an ISO 8601 date-time with an offset, e.g. 2026-09-05T09:30:00+07:00",
    ],
    ["2026-09-05t09:30:00z", "must be an ISO 8601 date-time with an offset, e.g. 2026-09-05T09:30:00+07:00"],
    ["3000-01-01T00:00:00Z", "must be before 3000-01-01; the year 3000 is after it"],
  ])("refuses %s on both sides, saying: %s", (occurredAt, message) => {
    expect(judged(occurredAt)).toEqual({ server: false, schema: false, messages: [message] });
  });

  it("reaches the published schema's verdict on any date-like text (property)", () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, "0"));
    const dateLike = fc
      .tuple(
        fc.integer({ min: 0, max: 3999 }).map((n) => String(n).padStart(4, "0")),
        two(13),
        two(32),
        fc.constantFrom("T", "T", "T", "t", " "),
        two(24),
        two(60),
        two(60),
        fc.constantFrom("", ".5", ".", ".123456"),
        fc.constantFrom("Z", "+07:00", "-12:00", "+23:59", "+24:00", "-00:60", "z", "", "+0700"),
      )
      .map(([y, mo, d, t, h, mi, s, f, z]) => `${y}-${mo}-${d}${t}${h}:${mi}:${s}${f}${z}`);
    fc.assert(
      fc.property(dateLike, (occurredAt) => {
        const { server, schema } = judged(occurredAt);
        expect(server).toBe(schema);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("occurredAt ahead of the server's clock", () => {
  const clock = fixedClock("2026-09-05T02:30:00Z");

  it(`accepts up to ${CLOCK_SKEW_MINUTES} minutes ahead, in any offset`, () => {
    // Given
    const atTheLimit = aDonationForm({ occurredAt: "2026-09-05T09:35:00+07:00" });
    const sameInstantUtc = aDonationForm({ occurredAt: "2026-09-05T02:35:00Z" });
    // When / Then
    expect(pledgeFromForm(atTheLimit, clock).occurredAt).toBe("2026-09-05T09:35:00+07:00");
    expect(pledgeFromForm(sameInstantUtc, clock).occurredAt).toBe("2026-09-05T02:35:00Z");
  });

  it("refuses a millisecond more with 422 occurred_at_in_future, naming the field and the server's time", () => {
    // Given
    const tooLate = aDonationForm({ occurredAt: "2026-09-05T09:35:00.001+07:00" });
    // When
    const refusal = (() => {
      try {
        pledgeFromForm(tooLate, clock);
      } catch (error) {
        return error;
      }
    })();
    // Then
    expect(refusal).toBeInstanceOf(OccurredAtInFuture);
    expect(refusal).toMatchObject({
      status: 422,
      code: "occurred_at_in_future",
      issues: [
        {
          path: "occurredAt",
          message: "must be at most 5 minutes after the server's time (2026-09-05T09:30:00.000+07:00)",
        },
      ],
    });
  });

  it("dates a pledge without occurredAt at its arrival, which is never in the future", () => {
    const { occurredAt: _none, ...form } = aDonationForm();
    expect(pledgeFromForm(form, clock).occurredAt).toBe("2026-09-05T09:30:00.000+07:00");
  });
});
