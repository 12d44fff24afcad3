import type { Report } from "#domain/reports/report.ts";
import { vietnamDayOf } from "#domain/time.ts";
import type { CampaignDefinition } from "#events/campaign.ts";
import { baseNameOf, generateReport, type ReportRequest, type ReportSources } from "#reports/generate.ts";
import { renderAll } from "#reports/render.ts";
import { requestsFor, type ScheduledReports } from "#reports/schedules.ts";
import type { Log } from "#storage/log.ts";
import type { ReportFiles } from "#storage/report-files.ts";

/** The folder of a report in the bucket: by unit, or by campaign, so a listing reads one prefix. */
export const folderOf = (request: ReportRequest): string =>
  request.kind === "campaign-daily" ? `campaigns/${request.campaignId}/` : `units/${request.unit}/`;

export interface MadeReport {
  readonly request: ReportRequest;
  readonly keys: readonly string[];
  readonly headline: string;
}

/** Makes one report and writes its files; the same key on a re-run, so a retried schedule is harmless. */
export const makeReport = async (
  request: ReportRequest,
  sources: ReportSources,
  files: ReportFiles,
): Promise<{ report: Report; keys: string[] }> => {
  const report = await generateReport(request, sources);
  const keys: string[] = [];
  for (const file of await renderAll(report, baseNameOf(request))) {
    const key = `${folderOf(request)}${file.name}`;
    await files.put(key, file.body, file.contentType);
    keys.push(key);
  }
  return { report, keys };
};

/** Whether a campaign takes pledges on `day`: a digest of a campaign outside its window says nothing. */
const runningOn = (campaign: CampaignDefinition | undefined, day: string): boolean =>
  campaign !== undefined && campaign.window.from <= day && day <= campaign.window.to;

/**
 * One scheduled run: every report its schedule calls for, one after another (each reads its partitions
 * eight at a time). A report that fails is logged and the others still run; the run fails at the end if
 * any did, so the scheduler's retry makes the missing ones (and harmlessly rewrites the rest).
 */
export const runSchedule = async (
  run: ScheduledReports,
  sources: ReportSources,
  files: ReportFiles,
  log: Log,
): Promise<readonly MadeReport[]> => {
  const day = vietnamDayOf(run.scheduledTime);
  const made: MadeReport[] = [];
  const failed: string[] = [];
  for (const request of requestsFor(run)) {
    if (request.kind === "campaign-daily" && !runningOn(await sources.readCampaign(request.campaignId), day))
      continue;
    try {
      const { report, keys } = await makeReport(request, sources, files);
      made.push({ request, keys, headline: report.headline.vi });
      log.info("report made", { report: baseNameOf(request), files: keys.length });
    } catch (error) {
      failed.push(baseNameOf(request));
      log.error("report failed", { report: baseNameOf(request), error: String(error) });
    }
  }
  if (failed.length > 0)
    throw new Error(`${failed.length} report(s) failed: ${failed.slice(0, 5).join(", ")}`);
  return made;
};
