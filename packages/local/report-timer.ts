import { nextRunAfter, reportSchedules, type ScheduledReports } from "#reports/schedules.ts";

/** How often the timer looks at the clock: a schedule runs within this of its time. */
const TICK_MS = 30_000;

/**
 * The report schedules of infra/constructs/reports.ts, run by `npm start`: the same list, the same input,
 * the same handler, on a local timer instead of EventBridge Scheduler. Returns a stop function.
 */
export const startReportTimer = (
  make: (run: ScheduledReports) => Promise<unknown>,
  campaigns: readonly string[],
  say: (line: string) => void,
  now: () => Date = () => new Date(),
): (() => void) => {
  const next = new Map(reportSchedules.map((s) => [s.name, nextRunAfter(s, now())]));
  const tick = async () => {
    for (const schedule of reportSchedules) {
      const due = next.get(schedule.name);
      if (due === undefined || due > now()) continue;
      next.set(schedule.name, nextRunAfter(schedule, due));
      try {
        const result = await make({ schedule: schedule.name, scheduledTime: due.toISOString(), campaigns });
        say(`reports: ${schedule.name} due ${due.toISOString()}: ${JSON.stringify(result)}`);
      } catch (error) {
        say(`reports: ${schedule.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };
  const timer = setInterval(() => void tick(), TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
};
