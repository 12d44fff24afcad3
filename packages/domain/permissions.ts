import type { Principal, Role } from "./principal.ts";
import { type IsWithin, inScope } from "./scope.ts";

/** What a staff route does, in the terms the permission table speaks. */
export type Action =
  | "register-beneficiary"
  | "read-personal-data"
  | "erase-personal-data"
  | "read-audit"
  | "record-support"
  | "record-assessment"
  | "record-income"
  | "manage-campaigns"
  | "read-figures"
  | "resolve-transfers";

/**
 * Which roles may take each action (on units inside their scope). Auditors never read personal data;
 * only an admin may erase it; every role reads the aggregate figures of the units in its scope.
 */
export const permitted: Readonly<Record<Action, readonly Role[]>> = {
  "register-beneficiary": ["association-admin", "unit-staff"],
  "read-personal-data": ["association-admin", "unit-staff"],
  "erase-personal-data": ["association-admin"],
  "read-audit": ["association-admin", "auditor"],
  "record-support": ["association-admin", "unit-staff"],
  "record-assessment": ["association-admin", "unit-staff"],
  "record-income": ["association-admin", "unit-staff"],
  "manage-campaigns": ["association-admin"],
  "read-figures": ["association-admin", "unit-staff", "auditor", "reporter"],
  // Attributing money a fund received is bookkeeping of that fund, as recording support is.
  "resolve-transfers": ["association-admin", "unit-staff"],
};

export type Decision = "allowed" | "forbidden_role" | "forbidden_scope";

/** Whether `principal` may take `action` on `unitCode` on `onDate`: its role first, then its scope. */
export const decide = (
  principal: Principal,
  action: Action,
  unitCode: string,
  onDate: string,
  isWithin: IsWithin,
): Decision => {
  if (!permitted[action].includes(principal.role)) return "forbidden_role";
  return inScope(principal.scope, unitCode, onDate, isWithin) ? "allowed" : "forbidden_scope";
};
