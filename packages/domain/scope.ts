/**
 * Whether unit `unitCode` lies inside unit `scopeCode` on `onDate` (a commune in its province). The
 * administrative-unit registry answers it; units merge and split, so the answer depends on the date.
 */
export type IsWithin = (scopeCode: string, unitCode: string, onDate: string) => boolean;

/**
 * Whether a caller scoped to `scope` may act on `unitCode` on `onDate` (`YYYY-MM-DD`): the nation covers
 * every unit; otherwise the registry decides, also for a code equal to the scope, because the 2025 reform
 * reused codes (commune 00004 was Phường Trúc Bạch, is Phường Ba Đình: Ba Đình's staff do not act on
 * Trúc Bạch's past). A shorter code (a province) is never inside a longer one (a commune).
 */
export const inScope = (scope: string, unitCode: string, onDate: string, isWithin: IsWithin): boolean =>
  scope === "VN" || (scope.length <= unitCode.length && isWithin(scope, unitCode, onDate));
