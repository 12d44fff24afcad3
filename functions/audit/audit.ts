import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { z } from "zod";
import { toVietnamIso, vietnamDayOf } from "#domain/time.ts";
import { OffsetDateTime } from "#events/date-time.ts";
import { UnitCode } from "#events/envelope.ts";
import type { AuditPage, AuditQuery } from "#storage/audit-log.ts";
import { httpErrors, json } from "../shared/http.ts";
import { pageLimit, parseParams } from "../shared/params.ts";
import { authorize, noStore, type StaffDeps } from "../shared/staff.ts";

const Query = z
  .object({
    unitCode: UnitCode,
    from: OffsetDateTime,
    to: OffsetDateTime,
    limit: pageLimit(100),
    cursor: z.string().max(2000).optional(),
  })
  .refine((q) => Date.parse(q.from) <= Date.parse(q.to), {
    path: ["to"],
    message: "must not be before from",
  });

/**
 * `GET /v1/audit?unitCode=&from=&to=[&cursor=][&limit=]`: the staff events of one unit in a time window,
 * oldest first, one page per call (auditors anywhere, admins within their scope).
 */
export const auditHandler = (deps: StaffDeps & { readPage: (query: AuditQuery) => Promise<AuditPage> }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const query = parseParams(request.queryStringParameters, Query);
      const today = vietnamDayOf(deps.clock.now().toISOString());
      authorize(principal, "read-audit", query.unitCode, today, deps.isWithin);
      const page = await deps.readPage({
        unitCode: query.unitCode,
        from: toVietnamIso(new Date(query.from)),
        to: toVietnamIso(new Date(query.to)),
        limit: query.limit,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
      const response = json(200, page);
      return { ...response, headers: { ...response.headers, ...noStore } };
    });
