import { ClientError } from "./errors.ts";
import type { Unit, UnitCheck } from "./unit-registry.ts";

/** An event dated after its unit was retired: the client is told which unit(s) of today to use. */
export class UnitRetired extends ClientError {
  readonly status = 422;
  readonly code = "unit_retired";
}

/** A well-formed code that names no unit on the event's day (unknown, or only in force later). */
export class UnitNotInForce extends ClientError {
  readonly status = 422;
  readonly code = "unit_not_in_force";
}

/** A unit query whose code names no unit on the day it is read (a district today, a code never used). */
export class UnitNotFound extends ClientError {
  readonly status = 404;
  readonly code = "unit_not_found";
}

const named = (unit: Unit): string => `${unit.code} (${unit.name})`;

/**
 * The unit of a passing check; otherwise the 422 that says why, at `path` in the request. A retired code
 * names its successors, so a form that still offers a 2024 commune tells the user what to pick instead.
 */
export const unitOrRefusal = (check: UnitCheck, path = "unitCode"): Unit => {
  if (check.ok) return check.unit;
  switch (check.reason) {
    case "retired": {
      const message =
        `unit ${named(check.retired)} was retired after ${check.retired.validTo}; on ${check.day} ` +
        `its territory is in ${check.successors.map(named).join(", ")}`;
      throw new UnitRetired(message, [{ path, message }]);
    }
    case "not-yet-valid": {
      const message = `unit ${named(check.later)} is in force only from ${check.later.validFrom}, not on ${check.day}`;
      throw new UnitNotInForce(message, [{ path, message }]);
    }
    case "unknown": {
      const message = `no administrative unit has code ${check.code} on ${check.day}`;
      throw new UnitNotInForce(message, [{ path, message }]);
    }
    default: {
      const unhandled: never = check;
      throw new Error(`unknown unit check ${JSON.stringify(unhandled)}`);
    }
  }
};
