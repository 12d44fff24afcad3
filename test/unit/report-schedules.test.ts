import { describe, expect, it } from "vitest";
import { cronOf, nextRunAfter, reportSchedules, requestsFor } from "#reports/schedules.ts";

const schedule = (name: string) => {
  const found = reportSchedules.find((s) => s.name === name);
  if (found === undefined) throw new Error(name);
  return found;
};

describe("report schedules", () => {
  it("gives EventBridge Scheduler one cron per schedule, read in Vietnam's time", () => {
    // Given the schedules; when written as cron expressions
    // Then the monthly one runs at 02:00 on the 1st, the yearly at 03:00 on 10 January, digests daily at 21:00
    expect(cronOf(schedule("monthly"))).toBe("cron(0 2 1 * ? *)");
    expect(cronOf(schedule("yearly"))).toBe("cron(0 3 10 1 ? *)");
    expect(cronOf(schedule("campaign-daily"))).toBe("cron(0 21 * * ? *)");
    expect(cronOf(schedule("disclosure"))).toBe("cron(0 4 1 3 ? *)");
  });

  it("runs locally when the deployed schedule would, in Vietnam's time", () => {
    // Given 20:59 in Hà Nội on 31 December 2026 (13:59 UTC)
    const at = new Date("2026-12-31T13:59:00Z");
    // When the next run of each is asked for; Then the digest is a minute later, the month's report on
    // 1 January at 02:00 and the year's on 10 January at 03:00, Vietnam time
    expect(nextRunAfter(schedule("campaign-daily"), at).toISOString()).toBe("2026-12-31T14:00:00.000Z");
    expect(nextRunAfter(schedule("monthly"), at).toISOString()).toBe("2026-12-31T19:00:00.000Z");
    expect(nextRunAfter(schedule("yearly"), at).toISOString()).toBe("2027-01-09T20:00:00.000Z");
  });

  it("reports on the period that just ended, for the nation and the provinces of that time", () => {
    // Given the monthly run due on 1 January 2019 and the yearly run due on 10 January 2019
    const monthly = requestsFor({ schedule: "monthly", scheduledTime: "2018-12-31T19:00:00Z" });
    const yearly = requestsFor({ schedule: "yearly", scheduledTime: "2019-01-09T20:00:00Z" });
    // Then they cover December and 2018, the nation and the 63 provinces of 2018, in the units of 2018
    expect(monthly).toHaveLength(64);
    expect(monthly[0]).toEqual({ kind: "monthly", unit: "VN", year: 2018, month: "12", asOf: "historic" });
    expect(yearly).toHaveLength(64);
    expect(yearly).toContainEqual({ kind: "yearly", unit: "15", year: 2018, asOf: "historic" });
    // And after the 2025 reform, the 34 provinces of today; the disclosure on 1 March for the year before
    expect(requestsFor({ schedule: "yearly", scheduledTime: "2027-01-09T20:00:00Z" })).toHaveLength(35);
    expect(requestsFor({ schedule: "disclosure", scheduledTime: "2027-02-28T21:00:00Z" })).toContainEqual({
      kind: "disclosure",
      unit: "15",
      year: 2026,
    });
  });
});
