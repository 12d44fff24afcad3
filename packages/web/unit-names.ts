import { unitsOn } from "#domain/units.ts";

/**
 * Names of the provinces and communes in force on `date`, by code: the one slice of the unit registry the
 * campaign page needs, written beside the app at build time so the browser never loads the registry.
 */
export const unitNamesOn = (date: string): Record<string, string> =>
  Object.fromEntries(
    [...unitsOn(date, "province"), ...unitsOn(date, "commune")].map((unit) => [unit.code, unit.name]),
  );
