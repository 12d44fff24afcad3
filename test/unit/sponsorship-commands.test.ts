import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Principal } from "#domain/principal.ts";
import {
  endEventId,
  sponsorshipEndedFrom,
  sponsorshipStartedFrom,
  startEventId,
} from "#domain/sponsorship-commands.ts";
import { DomainEvent } from "#events/index.ts";
import { SponsorshipEndRequest, SponsorshipStartRequest } from "#events/sponsorship.ts";
import { ConfigError } from "#storage/config.ts";
import { DEFAULT_SPONSORSHIP_MAX, sponsorshipMaxFrom } from "#storage/sponsorship-slots.ts";

const staff: Principal = { subject: "staff-1", role: "unit-staff", scope: "04252" };
const clock = {
  now: () => new Date("2026-12-01T03:00:00Z"),
  newId: () => "0b7f3f8e-1d2c-4b5a-9e8f-7a6b5c4d3e2f",
};
const example = (file: string): unknown => JSON.parse(readFileSync(`events/examples/${file}`, "utf8"));
const startBody = SponsorshipStartRequest.parse(example("sponsorship-started.json"));
const endBody = SponsorshipEndRequest.parse(example("sponsorship-ended.json"));

describe("starting a sponsorship", () => {
  it("given the example, when it is started twice, then one valid event with an id derived from the sponsorshipId", () => {
    // When
    const [first, again] = [
      sponsorshipStartedFrom(startBody, staff, clock),
      sponsorshipStartedFrom(startBody, staff, clock),
    ];
    // Then
    expect(DomainEvent.parse(first)).toEqual(first);
    expect(first.eventId).toBe(startEventId(startBody.sponsorshipId ?? ""));
    expect(again).toEqual(first);
  });

  it("given a start dated after the clock, then 422 occurred_at_in_future", () => {
    expect(() =>
      sponsorshipStartedFrom({ ...startBody, occurredAt: "2027-01-01T08:00:00+07:00" }, staff, clock),
    ).toThrow(expect.objectContaining({ status: 422, code: "occurred_at_in_future" }));
  });
});

describe("ending a sponsorship", () => {
  const started = sponsorshipStartedFrom(startBody, staff, clock);

  it("given a recorded start, then the end names its teacher, student and unit, with an id of its own", () => {
    // When
    const ended = sponsorshipEndedFrom(started, endBody, staff, clock);
    // Then
    expect(DomainEvent.parse(ended)).toEqual(ended);
    expect(ended).toMatchObject({
      eventId: endEventId(started.sponsorshipId),
      sponsorshipId: started.sponsorshipId,
      unitCode: started.unitCode,
      data: { ...started.data, reason: "completed" },
    });
    expect(ended.eventId).not.toBe(started.eventId);
  });

  it("given an end dated before the start, then 422 ended_before_start naming occurredAt", () => {
    expect(() =>
      sponsorshipEndedFrom(started, { ...endBody, occurredAt: "2026-09-01T08:00:00+07:00" }, staff, clock),
    ).toThrow(
      expect.objectContaining({
        status: 422,
        code: "ended_before_start",
        issues: [expect.objectContaining({ path: "occurredAt" })],
      }),
    );
  });
});

describe("the per-teacher maximum's setting", () => {
  it.each([
    { raw: undefined, max: DEFAULT_SPONSORSHIP_MAX },
    { raw: "", max: DEFAULT_SPONSORSHIP_MAX },
    { raw: "1", max: 1 },
    { raw: "5", max: 5 },
  ])("given SPONSORSHIP_MAX_PER_TEACHER=$raw, then the maximum is $max", ({ raw, max }) => {
    expect(sponsorshipMaxFrom(raw === undefined ? {} : { SPONSORSHIP_MAX_PER_TEACHER: raw })).toBe(max);
  });

  it.each(["0", "-1", "1.5", "two"])(
    "given SPONSORSHIP_MAX_PER_TEACHER=%s, then the cold start fails",
    (raw) => {
      expect(() => sponsorshipMaxFrom({ SPONSORSHIP_MAX_PER_TEACHER: raw })).toThrow(ConfigError);
    },
  );

  it("defaults to 2", () => {
    expect(DEFAULT_SPONSORSHIP_MAX).toBe(2);
  });
});
