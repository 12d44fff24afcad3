import { ALL_SUCCESSIONS, ALL_UNITS, LAST_DAY_BEFORE_2025 } from "./unit-data.ts";
import {
  type AsOf,
  type CurrentUnits,
  createUnitRegistry,
  type Unit,
  type UnitCheck,
  type UnitLevel,
} from "./unit-registry.ts";

export { LAST_DAY_BEFORE_2025, NATION, REFORM_2025 } from "./unit-data.ts";
export type {
  AsOf,
  CurrentUnits,
  Succession,
  SuccessionHow,
  Unit,
  UnitCheck,
  UnitLevel,
} from "./unit-registry.ts";
export { createUnitRegistry, dayOf, OPEN_START } from "./unit-registry.ts";

/**
 * Vietnam's administrative units with their history, from the data in data/admin-units/ (docs/units.md).
 * The data is bundled with the code and indexed once when this module loads; no lookup touches a table.
 *
 * Every `date` below is a Vietnamese day (`YYYY-MM-DD`) or an instant with an offset, read as the day it
 * falls on in Asia/Ho_Chi_Minh; anything else throws a RangeError.
 */
const registry = createUnitRegistry(ALL_UNITS, ALL_SUCCESSIONS);

/** The unit `code` names on `date`: `unitOn("15", "2018-06-01")` is Yên Bái, on `"2025-07-01"` Lào Cai. */
export const unitOn = (code: string, date: string): Unit | undefined => registry.unitOn(code, date);

/** The unit with this key (`<code>@<validFrom>`), whatever the day. */
export const unitByKey = (key: string): Unit | undefined => registry.unitByKey(key);

/** Every unit in force on `date`, of one level if given, in code order. */
export const unitsOn = (date: string, level?: UnitLevel): readonly Unit[] => registry.unitsOn(date, level);

/**
 * Whether `unitCode` is the scope itself or below it on `onDate`, both codes read in the units of that
 * day: `VN` covers every unit; a province its districts and communes; before July 2025 a district its
 * communes. False when either code names no unit on that day.
 */
export const isWithin = (scopeCode: string, unitCode: string, onDate: string): boolean =>
  registry.isWithin(scopeCode, unitCode, onDate);

/**
 * Whether the unit `unitCode` named on `onDate` counts under `scopeCode` read in today's units: a commune
 * of old Lào Cai (province 10) in 2018 rolls up into today's Lào Cai (15), which `isWithin("15", …,
 * 2018)` (read as Yên Bái) denies. For a scope held today over figures of any day.
 */
export const rollsUpInto = (scopeCode: string, unitCode: string, onDate: string): boolean =>
  registry.rollsUpInto(scopeCode, unitCode, onDate);

/**
 * Whether an event dated `date` may carry `code`: ok with the unit, or why not, naming today's units that
 * hold a retired unit's territory.
 */
export const validateUnitOnDate = (code: string, date: string): UnitCheck =>
  registry.validateUnitOnDate(code, date);

/**
 * Where the unit `code` named on `onDate` (by default the last day before the 2025 reform) stands in
 * today's units; undefined when the code named no unit that day.
 */
export const currentUnitsOf = (
  code: string,
  onDate: string = LAST_DAY_BEFORE_2025,
): CurrentUnits | undefined => registry.currentUnitsOf(code, onDate);

/**
 * The chain from a unit up to `VN`: `historic` in the units of `date` (commune → district → province →
 * nation before July 2025), `current` in today's units (commune → province → nation), starting from the
 * unit today that the figures count under, which may be a province when the commune mapping is not known.
 * Empty when the code names no unit on `date`.
 */
export const rollUp = (code: string, date: string, asOf: AsOf): readonly Unit[] =>
  registry.rollUp(code, date, asOf);
