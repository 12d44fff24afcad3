import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { vietnamDayOf } from "#domain/time.ts";
import { CampaignId } from "#events/envelope.ts";
import type { ReportFiles } from "#storage/report-files.ts";
import { httpErrors, json } from "../shared/http.ts";
import { pageLimit, parseParams } from "../shared/params.ts";
import { authorize, noStore, type StaffDeps } from "../shared/staff.ts";

const Query = z
  .object({
    unit: z
      .string()
      .regex(/^(VN|\d{2}|\d{3}|\d{5})$/, "must be VN or a 2-, 3- or 5-digit unit code")
      .optional(),
    campaign: CampaignId.optional(),
    limit: pageLimit(200),
  })
  .refine((q) => (q.unit === undefined) !== (q.campaign === undefined), {
    path: ["unit"],
    message: "give exactly one of unit or campaign",
  });

/**
 * `GET /v1/reports?unit=<code>` or `?campaign=<id>`: the reports made for a unit in the caller's scope
 * (or a campaign's digests), newest first, each with a download link valid for 15 minutes. Reports hold
 * aggregates only, never personal data.
 */
export const listReportsHandler = (deps: StaffDeps & { readonly files: ReportFiles }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const query = parseParams(request.queryStringParameters, Query);
      const today = vietnamDayOf(deps.clock.now().toISOString());
      // A campaign's digest is as public as its page: any staff role may list it, within its own scope.
      authorize(principal, "read-figures", query.unit ?? principal.scope, today, deps.isWithin);
      const prefix = query.unit === undefined ? `campaigns/${query.campaign}/` : `units/${query.unit}/`;
      const found = await deps.files.list(prefix, query.limit);
      const reports = await Promise.all(
        found.map(async (f) => ({
          name: f.key.slice(prefix.length),
          size: f.size,
          lastModified: f.lastModified,
          url: await deps.files.link(f.key),
        })),
      );
      const response = json(200, { reports });
      return { ...response, headers: { ...response.headers, ...noStore } };
    });
