import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vietnamDayOf } from "#domain/time.ts";
import { occurredAtOf, vietnamToday } from "#web/occurred-at.ts";

/** Any instant from 2015 to 2040, to the millisecond. */
const instant = fc.date({
  min: new Date("2015-01-01T00:00:00Z"),
  max: new Date("2040-01-01T00:00:00Z"),
  noInvalidDate: true,
});

describe("when a day a staff form names happened", () => {
  it("given today in Vietnam, when sent, then it is on that day and never after the moment it is sent", () => {
    fc.assert(
      fc.property(instant, (now) => {
        // When
        const at = occurredAtOf(vietnamToday(now), now);
        // Then
        expect(at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+07:00$/);
        expect(Date.parse(at)).toBeLessThanOrEqual(now.getTime());
        expect(now.getTime() - Date.parse(at)).toBeLessThan(60_000);
        expect(vietnamDayOf(at)).toBe(vietnamToday(now));
      }),
    );
  });

  it("given an earlier day, when sent, then it is noon of that day in Vietnam", () => {
    // 07:30 on 2 March in Vietnam: noon that day would be ahead of the clock, noon of 1 March is not
    const now = new Date("2026-03-02T00:30:00Z");
    expect(vietnamToday(now)).toBe("2026-03-02");
    expect(occurredAtOf("2026-03-01", now)).toBe("2026-03-01T12:00:00+07:00");
    expect(occurredAtOf("2026-03-02", now)).toBe("2026-03-02T07:30:00+07:00");
  });
});
