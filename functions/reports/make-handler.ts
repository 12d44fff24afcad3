import { z } from "zod";
import { vietnamDayOf } from "#domain/time.ts";
import { reportSchedules } from "#reports/schedules.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { createReportFiles } from "#storage/report-files.ts";
import { clients, config, logger, store } from "../shared/runtime.ts";
import { runSchedule } from "./make.ts";

const registry = createCampaignRegistry(config, clients);
const files = createReportFiles();

const ScheduledRun = z.strictObject({
  schedule: z.enum(reportSchedules.map((s) => s.name) as [string, ...string[]]),
  scheduledTime: z.iso.datetime({ offset: true }),
  campaigns: z.array(z.string()).max(50).optional(),
  units: z
    .array(z.string().regex(/^(VN|\d{2}|\d{3}|\d{5})$/))
    .max(100)
    .optional(),
});

/**
 * Invoked by EventBridge Scheduler (infra/constructs/reports.ts) with the schedule's name and the time it
 * was due, and locally by `npm start`'s timer with the same input.
 */
export const handler = async (input: unknown) => {
  const run = ScheduledRun.parse(input) as Parameters<typeof runSchedule>[0];
  const made = await runSchedule(
    run,
    {
      readPartition: (partition) => store.readPartition(partition),
      readCampaign: async (id) => (await registry.read(id))?.definition,
      today: vietnamDayOf(new Date().toISOString()),
    },
    files,
    logger,
  );
  return { reports: made.length, files: made.reduce((n, m) => n + m.keys.length, 0) };
};
