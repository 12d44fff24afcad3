import { ForbiddenRole, ForbiddenScope } from "#domain/auth-errors.ts";
import type { Clock } from "#domain/donation.ts";
import { type Action, decide } from "#domain/permissions.ts";
import type { Principal } from "#domain/principal.ts";
import type { IsWithin } from "#domain/scope.ts";
import type { Log } from "#storage/log.ts";
import type { Authenticate } from "./auth.ts";

/** What every staff handler needs: who is calling, the unit tree, time and ids, a log. */
export interface StaffDeps {
  readonly authenticate: Authenticate;
  readonly isWithin: IsWithin;
  readonly clock: Clock;
  readonly log: Log;
}

/** Throws the 403 that {@link decide} calls for; returns when the action is allowed. */
export const authorize = (
  principal: Principal,
  action: Action,
  unitCode: string,
  onDate: string,
  isWithin: IsWithin,
): void => {
  const decision = decide(principal, action, unitCode, onDate, isWithin);
  if (decision === "forbidden_role") throw new ForbiddenRole();
  if (decision === "forbidden_scope") throw new ForbiddenScope();
};

/** Personal data and audit pages must not linger in a browser or proxy cache. */
export const noStore = { "cache-control": "no-store" } as const;
