import { vietnamDayOf } from "#domain/time.ts";
import { unitsOn } from "#domain/units.ts";
import type { ReportRequest } from "./generate.ts";

/**
 * When reports are made, written once: the CDK stack turns each into an EventBridge Scheduler cron in
 * Asia/Ho_Chi_Minh, and `npm start` runs the same list on a local timer. The function receives only the
 * schedule's name and the time it was due, and works out the period itself (the month or year that ended).
 */
export interface ReportSchedule {
  readonly name: "monthly" | "yearly" | "campaign-daily" | "disclosure";
  readonly description: string;
  /** Vietnamese wall-clock time it runs at; `dayOfMonth`/`month` absent means every one. */
  readonly at: {
    readonly hour: number;
    readonly minute: number;
    readonly dayOfMonth?: number;
    readonly month?: number;
  };
}

export const reportSchedules: readonly ReportSchedule[] = [
  {
    name: "campaign-daily",
    description: "Each running campaign's daily digest, at 21:00 when the day's pledges are in",
    at: { hour: 21, minute: 0 },
  },
  {
    name: "monthly",
    description: "The monthly report of the nation and each province, on the 1st for the month before",
    at: { hour: 2, minute: 0, dayOfMonth: 1 },
  },
  {
    name: "yearly",
    description: "The yearly report of the nation and each province, on 10 January for the year before",
    at: { hour: 3, minute: 0, dayOfMonth: 10, month: 1 },
  },
  {
    name: "disclosure",
    description:
      "The annual public disclosure of the central fund and each province's, on 1 March for the year before (due by 31 March)",
    at: { hour: 4, minute: 0, dayOfMonth: 1, month: 3 },
  },
];

/** The EventBridge Scheduler expression of a schedule, read in the schedule's time zone. */
export const cronOf = (schedule: ReportSchedule): string => {
  const { minute, hour, dayOfMonth, month } = schedule.at;
  return `cron(${minute} ${hour} ${dayOfMonth ?? "*"} ${month ?? "*"} ? *)`;
};

export const REPORT_TIME_ZONE = "Asia/Ho_Chi_Minh";

/** What a scheduled invocation carries: the schedule and when it was due (the scheduler fills it in). */
export interface ScheduledReports {
  readonly schedule: ReportSchedule["name"];
  readonly scheduledTime: string;
  /** For campaign-daily: the campaigns to digest (those whose window holds the day). */
  readonly campaigns?: readonly string[];
  /** For monthly and yearly: these units only (default the nation and every province of the period). */
  readonly units?: readonly string[];
}

const previousMonth = (day: string): { year: number; month: string } => {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  return m === 1 ? { year: y - 1, month: "12" } : { year: y, month: String(m - 1).padStart(2, "0") };
};

/**
 * The reports one scheduled run makes: for the period that just ended (the month before, or the year
 * before), the nation and every province in force on the period's last day, read in the units of that
 * time; or each named campaign's digest of the day. Pure.
 */
export const requestsFor = (run: ScheduledReports): readonly ReportRequest[] => {
  const day = vietnamDayOf(run.scheduledTime);
  const unitsOf = (lastDay: string) =>
    run.units ?? ["VN", ...unitsOn(lastDay, "province").map((u) => u.code)];
  switch (run.schedule) {
    case "monthly": {
      const { year, month } = previousMonth(day);
      const lastDay = new Date(Date.UTC(year, Number(month), 0)).toISOString().slice(0, 10);
      return unitsOf(lastDay).map((unit) => ({ kind: "monthly", unit, year, month, asOf: "historic" }));
    }
    case "yearly": {
      const year = Number(day.slice(0, 4)) - 1;
      return unitsOf(`${year}-12-31`).map((unit) => ({ kind: "yearly", unit, year, asOf: "historic" }));
    }
    case "campaign-daily":
      return (run.campaigns ?? []).map((campaignId) => ({ kind: "campaign-daily", campaignId, day }));
    case "disclosure": {
      const year = Number(day.slice(0, 4)) - 1;
      return unitsOf(`${year}-12-31`).map((unit) => ({ kind: "disclosure", unit, year }));
    }
    default: {
      const unhandled: never = run.schedule;
      return unhandled;
    }
  }
};

/** The next time a schedule is due after `after`, for the local timer (Vietnam has no daylight saving). */
export const nextRunAfter = (schedule: ReportSchedule, after: Date): Date => {
  const VIETNAM_OFFSET_MS = 7 * 3_600_000;
  const local = new Date(after.getTime() + VIETNAM_OFFSET_MS);
  for (let days = 0; days <= 366 * 2; days++) {
    const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days));
    const { hour, minute, dayOfMonth, month } = schedule.at;
    if (dayOfMonth !== undefined && d.getUTCDate() !== dayOfMonth) continue;
    if (month !== undefined && d.getUTCMonth() + 1 !== month) continue;
    const due = new Date(d.getTime() + (hour * 60 + minute) * 60_000 - VIETNAM_OFFSET_MS);
    if (due > after) return due;
  }
  throw new RangeError(`schedule ${schedule.name} never runs`);
};
