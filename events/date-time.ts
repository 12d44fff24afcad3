import { z } from "zod";

// The parts of the pattern below: a leap day, any other day of a month, a time of day, an offset.
const leapDay = String.raw`(?:2\d(?:0[48]|[2468][048]|[13579][26])|2[048]00)-02-29`;
const ordinaryDay = String.raw`2\d{3}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12]\d|3[01])|(?:0[469]|11)-(?:0[1-9]|[12]\d|30)|02-(?:0[1-9]|1\d|2[0-8]))`;
const timeOfDay = String.raw`(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?`;
const offset = String.raw`(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)`;

/**
 * The one rule for an instant in the contract, as a pattern a JSON Schema carries: a calendar date from
 * 2000-01-01 to 2999-12-31 that exists (29 February only in leap years), a time of day, optional
 * fractions of a second, and an offset (`Z` or ±hh:mm). Years before 2000 predate every campaign and,
 * written with fewer digits, sort out of order; the upper bound that matters (not after the server's
 * clock) is checked where a clock is, in the domain.
 */
export const OFFSET_DATE_TIME_PATTERN = new RegExp(
  `^(?:${leapDay}|${ordinaryDay})T${timeOfDay}${offset}$`,
  "u",
);

/**
 * A calendar day (`YYYY-MM-DD`) from 2000-01-01 to 2999-12-31 that exists, by the same rule as the date of
 * {@link OFFSET_DATE_TIME_PATTERN}: for dates read as days in Asia/Ho_Chi_Minh (a campaign's window).
 */
export const CALENDAR_DAY_PATTERN = new RegExp(`^(?:${leapDay}|${ordinaryDay})$`, "u");

/** First day the contract accepts, as written in the date-time (before its offset is applied). */
export const EARLIEST_DAY = "2000-01-01";

const EXAMPLE = "2026-09-05T09:30:00+07:00";
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
const daysIn = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const loose = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/u;

/**
 * Says what is wrong with a date-time the pattern refuses, the most specific defect first, so that
 * `2026-02-30T10:00:00+07:00` is told that the day does not exist rather than something about its offset.
 * Only the message: whether a value is accepted is the pattern's decision alone.
 */
export const whatIsWrongWith = (value: unknown): string => {
  const parts = typeof value === "string" ? loose.exec(value) : null;
  if (parts === null) return `must be an ISO 8601 date-time with an offset, e.g. ${EXAMPLE}`;
  const [, y, mo, d, h, mi, s, zone, zh, zm] = parts.map((p) => p ?? "");
  const [year, month, day] = [Number(y), Number(mo), Number(d)];
  if (zone === "")
    return `must end with an offset (Z or ±hh:mm), e.g. ${EXAMPLE}: without one the time is ambiguous`;
  if (year < 2000) return `must be on or after ${EARLIEST_DAY}; the year ${y} is before it`;
  if (year > 2999) return `must be before 3000-01-01; the year ${y} is after it`;
  if (month < 1 || month > 12) return `${y}-${mo}: month ${mo} does not exist`;
  const last = daysIn(year, month);
  if (day < 1 || day > last)
    return `${y}-${mo}-${d} does not exist: ${MONTHS[month - 1]} ${y} has ${last} days`;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59)
    return `${h}:${mi}:${s} is not a time of day (00:00:00 to 23:59:59)`;
  if (Number(zh) > 23 || Number(zm) > 59) return `${zone} is not an offset (-23:59 to +23:59)`;
  return `must be an ISO 8601 date-time with an offset, e.g. ${EXAMPLE}`;
};

/**
 * An instant with its offset (`2026-09-05T09:30:00+07:00`); a bare local time would be ambiguous.
 * Accepted exactly when {@link OFFSET_DATE_TIME_PATTERN} matches; the JSON Schema carries the same
 * pattern and `format: date-time`.
 */
export const OffsetDateTime = z
  .string()
  .regex(OFFSET_DATE_TIME_PATTERN, { error: (issue) => whatIsWrongWith(issue.input) })
  .meta({
    format: "date-time",
    description: `An instant with its offset, e.g. ${EXAMPLE}, on a calendar day that exists, from ${EARLIEST_DAY}.`,
  });
