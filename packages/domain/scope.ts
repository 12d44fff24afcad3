/**
 * Whether unit `unitCode` lies inside unit `scopeCode` on `onDate` (a commune in its province). The
 * administrative-unit registry answers it; units merge and split, so the answer depends on the date.
 */
export type IsWithin = (scopeCode: string, unitCode: string, onDate: string) => boolean;

/**
 * Whether a caller scoped to `scope` may act on `unitCode` on `onDate` (`YYYY-MM-DD`): the nation covers
 * every unit, a unit covers itself, and a province covers what the registry places inside it.
 */
export const inScope = (scope: string, unitCode: string, onDate: string, isWithin: IsWithin): boolean =>
  scope === "VN" ||
  scope === unitCode ||
  (scope.length < unitCode.length && isWithin(scope, unitCode, onDate));
