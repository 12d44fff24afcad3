import type { Clock } from "#domain/donation.ts";
import { DEFAULT_SUPPRESSION_THRESHOLD } from "#domain/suppression.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { countersOf, publicSupportFigures, supportFigures } from "#domain/unit-figures.ts";
import type { Log } from "#storage/log.ts";
import { json, publicRoute } from "../shared/http.ts";
import { type ReadPartition, unitQueryOf } from "./query.ts";

/**
 * `GET /v1/public/units/{code}/support?year=&asOf=`: a unit's support for anyone, aggregates only, with
 * counts of people below the suppression threshold withheld. No sign-in; one Query.
 */
export const publicSupportHandler = (deps: {
  readonly readPartition: ReadPartition;
  readonly clock: Clock;
  readonly log: Log;
  readonly threshold?: number;
}) =>
  publicRoute(deps.log).handler(async (request) => {
    const today = vietnamDayOf(deps.clock.now().toISOString());
    const query = unitQueryOf("support", request.pathParameters, request.queryStringParameters, today);
    const counters = countersOf(query.plan, await deps.readPartition(query.plan.partition));
    const figures = supportFigures(query.plan.unit, query.year ?? 0, counters);
    const body = {
      asOf: query.asOf,
      ...publicSupportFigures(figures, deps.threshold ?? DEFAULT_SUPPRESSION_THRESHOLD),
    };
    return {
      ...json(200, body),
      headers: { "content-type": "application/json; charset=utf-8", "cache-control": "max-age=60" },
    };
  });
