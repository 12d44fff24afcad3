import { z } from "zod";
import type { Clock } from "#domain/donation.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { UnitNotFound } from "#domain/unit-errors.ts";
import { generateReport, ReportRequestError } from "#reports/generate.ts";
import type { CampaignReader } from "#storage/campaigns.ts";
import type { Log } from "#storage/log.ts";
import type { Store } from "#storage/store.ts";
import { json, publicRoute } from "../shared/http.ts";
import { parseParams } from "../shared/params.ts";

/**
 * `GET /v1/public/funds/{code}?year=`: a fund's disclosure as the public reads it, live (the same figures
 * the annual disclosure report publishes): per purpose, received, returned, used and the year-end money
 * balance. Amounts by purpose only, never a person. One Query of the fund's partition, and one GetItem per
 * restricted purpose to name it.
 */
export const fundDisclosureHandler = (store: Store, log: Log, campaigns: CampaignReader, clock: Clock) =>
  publicRoute(log).handler(async (request) => {
    const thisYear = Number(vietnamDayOf(clock.now().toISOString()).slice(0, 4));
    const params = parseParams(
      { code: request.pathParameters?.code, year: request.queryStringParameters?.year ?? String(thisYear) },
      z.object({
        code: z
          .string()
          .regex(/^(VN|\d{2}|\d{5})$/, "must be VN, a 2-digit province or a 5-digit commune code"),
        year: z
          .string()
          .regex(/^\d{4}$/, "must be a year such as 2026")
          .transform(Number)
          .pipe(z.number().min(2000, "must be 2000 or later").max(thisYear, `must not be after ${thisYear}`)),
      }),
    );
    try {
      const report = await generateReport(
        { kind: "disclosure", unit: params.code, year: params.year },
        {
          readPartition: (p) => store.readPartition(p),
          readCampaign: async (id) => (await campaigns.read(id))?.definition,
          today: vietnamDayOf(clock.now().toISOString()),
        },
      );
      return {
        ...json(200, report),
        headers: { "content-type": "application/json; charset=utf-8", "cache-control": "max-age=60" },
      };
    } catch (error) {
      if (!(error instanceof ReportRequestError)) throw error;
      const message = `no fund's association had code ${params.code} in ${params.year}`;
      throw new UnitNotFound(message, [{ path: "code", message }]);
    }
  });
