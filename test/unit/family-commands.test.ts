import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assessmentRecordedFrom,
  checkSponsorshipStart,
  supportGrantedFrom,
} from "#domain/family-commands.ts";
import type { Principal } from "#domain/principal.ts";
import { AssessmentResultRequest } from "#events/assessment.ts";
import { DomainEvent } from "#events/index.ts";
import { SupportGrantRequest } from "#events/support.ts";

const staff: Principal = { subject: "staff-1", role: "unit-staff", scope: "04252" };
const clock = {
  now: () => new Date("2026-11-28T08:00:00Z"),
  newId: () => "0b7f3f8e-1d2c-4b5a-9e8f-7a6b5c4d3e2f",
};
const example = (file: string): unknown => JSON.parse(readFileSync(`events/examples/${file}`, "utf8"));

describe("recording support", () => {
  it("turns the published example into a valid SupportGranted event, the same on a retry", () => {
    // Given the example body / When it is recorded twice
    const body = SupportGrantRequest.parse(example("support-granted.json"));
    const [first, again] = [supportGrantedFrom(body, staff, clock), supportGrantedFrom(body, staff, clock)];
    // Then it is an event the ledger accepts, with the same id and content hash both times
    expect(DomainEvent.parse(first)).toEqual(first);
    expect(first.data).toMatchObject({ moneyVnd: 1_000_000, inKindVnd: 250_000 });
    expect([again.eventId, again.source.contentHash]).toEqual([first.eventId, first.source.contentHash]);
  });

  it("refuses a grant of neither money nor goods with 422 support_amount_required", () => {
    const {
      moneyVnd: _m,
      goods: _g,
      ...neither
    } = SupportGrantRequest.parse(example("support-granted.json"));
    expect(() => supportGrantedFrom(neither, staff, clock)).toThrow(
      expect.objectContaining({ status: 422, code: "support_amount_required" }),
    );
  });

  it("accepts any grant with money, goods or both", () => {
    const base = SupportGrantRequest.parse(example("support-granted.json"));
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 1_000_000_000_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 1_000_000_000_000 }), { nil: undefined }),
        (money, goods) => {
          fc.pre(money !== undefined || goods !== undefined);
          const { moneyVnd: _m, goods: _g, ...rest } = base;
          const body = {
            ...rest,
            ...(money === undefined ? {} : { moneyVnd: money }),
            ...(goods === undefined ? {} : { goods: { description: "Vở", valuationVnd: goods } }),
          };
          const event = supportGrantedFrom(body, staff, clock);
          expect([event.data.moneyVnd, event.data.inKindVnd]).toEqual([money ?? 0, goods ?? 0]);
        },
      ),
    );
  });

  it("refuses a retired commune code after 1 July 2025, naming the successor", () => {
    // Given an old Lào Cai commune code on a 2026 grant
    const body = { ...SupportGrantRequest.parse(example("support-granted.json")), unitCode: "02635" };
    // When / Then 422 unit_retired naming today's 02647
    expect(() => supportGrantedFrom(body, staff, clock)).toThrow(
      expect.objectContaining({
        status: 422,
        code: "unit_retired",
        message: expect.stringContaining("02647"),
      }),
    );
  });

  it("accepts the same old code on a 2018 grant", () => {
    const body = {
      ...SupportGrantRequest.parse(example("support-granted.json")),
      unitCode: "02635",
      occurredAt: "2018-09-05T09:00:00+07:00",
    };
    expect(supportGrantedFrom(body, staff, clock).unitCode).toBe("02635");
  });
});

describe("recording an assessment result", () => {
  it("keeps the recognition the scheme version gives the level", () => {
    const body = AssessmentResultRequest.parse(example("assessment-recorded.json"));
    const event = assessmentRecordedFrom(body, staff, clock);
    expect(DomainEvent.parse(event)).toEqual(event);
    expect(event.data.recognised).toBe(true);
  });

  it("refuses a scheme that does not cover the year with 422 scheme_not_applicable", () => {
    const body = {
      ...AssessmentResultRequest.parse(example("assessment-recorded.json")),
      scheme: { id: "qd-281-2014", version: 1 },
    };
    expect(() => assessmentRecordedFrom(body, staff, clock)).toThrow(
      expect.objectContaining({
        status: 422,
        code: "scheme_not_applicable",
        message: expect.stringContaining("2026"),
      }),
    );
  });
});

describe("the sponsorship limit", () => {
  it("lets a teacher start below the maximum and refuses at it, naming the rule", () => {
    expect(() => checkSponsorshipStart(1)).not.toThrow();
    expect(() => checkSponsorshipStart(2)).toThrow(
      expect.objectContaining({
        status: 422,
        code: "sponsorship_limit",
        message: expect.stringContaining("at most 2"),
      }),
    );
    expect(() => checkSponsorshipStart(2, 3)).not.toThrow();
  });
});
