import middy from "@middy/core";
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from "aws-lambda";
import { ForbiddenRole, ForbiddenScope } from "#domain/auth-errors.ts";
import { permitted } from "#domain/permissions.ts";
import { NATION, type Principal } from "#domain/principal.ts";
import type { IsWithin } from "#domain/scope.ts";
import { vietnamDayOf } from "#domain/time.ts";
import type { ReadPlan } from "#domain/unit-figures.ts";
import { httpErrors, json } from "../shared/http.ts";
import { noStore, type StaffDeps } from "../shared/staff.ts";
import { type Family, type ReadPartition, staffFiguresOf, unitQueryOf } from "./query.ts";

/**
 * Throws the 403 a figures read calls for. Unlike `inScope`, a scope equal to the code does not pass by
 * itself: the 2025 reform reused codes (commune 00004 was Phường Trúc Bạch and is Phường Ba Đình), so the
 * unit the code named on the plan's day must roll up into the unit the scope names today.
 */
export const authorizeRead = (principal: Principal, plan: ReadPlan, isWithin: IsWithin): void => {
  if (!permitted["read-figures"].includes(principal.role)) throw new ForbiddenRole();
  if (principal.scope !== NATION && !isWithin(principal.scope, plan.unit.code, plan.day))
    throw new ForbiddenScope();
};

/**
 * `GET /v1/units/{code}/support|assessments|sponsorships?year=&asOf=`: a unit's figures for staff whose
 * scope holds the unit, one Query whatever the number of events (docs/units.md#reading-figures).
 */
export const unitFiguresHandler = (family: Family) => (deps: StaffDeps & { readPartition: ReadPartition }) =>
  middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrors(deps.log))
    .handler(async (request) => {
      const principal = await deps.authenticate(request);
      const today = vietnamDayOf(deps.clock.now().toISOString());
      const query = unitQueryOf(family, request.pathParameters, request.queryStringParameters, today);
      authorizeRead(principal, query.plan, deps.isWithin);
      const figures = staffFiguresOf(query, await deps.readPartition(query.plan.partition));
      const response = json(200, figures);
      return { ...response, headers: { ...response.headers, ...noStore } };
    });
