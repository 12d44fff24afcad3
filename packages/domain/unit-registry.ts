import { vietnamDayOf } from "./time.ts";

export type UnitLevel = "nation" | "province" | "district" | "commune";

/**
 * An administrative unit as it stood between two dates. A code alone does not name a unit: after the
 * 2025 reform `15` is Lào Cai where it was Yên Bái, and commune `02647` is Phường Lào Cai where it was
 * Phường Kim Tân. A code and a day do, because two units with one code never share a day; `key`
 * (`<code>@<validFrom>`) names the unit without a day.
 */
export interface Unit {
  readonly key: string;
  readonly code: string;
  readonly name: string;
  readonly level: UnitLevel;
  /** The parent's code, read on any day this unit is valid (a unit lies within one parent all its life). */
  readonly parent?: string;
  /** First day in force (YYYY-MM-DD, Vietnam); OPEN_START when the source records no start. */
  readonly validFrom: string;
  /** Last day in force, inclusive; absent while the unit is in force. */
  readonly validTo?: string;
}

/** How an old unit's territory went to a new one: all of it, unchanged, or a part (a split). */
export type SuccessionHow = "whole" | "unchanged" | "part";

/** One old→new pair of a reorganisation; a split old unit has one pair per new unit that took a part. */
export interface Succession {
  readonly from: string;
  readonly to: string;
  readonly how: SuccessionHow;
}

/** The start of units whose creation the sources do not date: valid on every day before their end. */
export const OPEN_START = "0001-01-01";

/** Where a unit's figures stand in today's units. */
export interface CurrentUnits {
  /** The unit the code named on the day asked about. */
  readonly unit: Unit;
  /**
   * Today's units that hold its territory, at the finest level the data knows: today's communes when the
   * commune mapping is recorded, else the province (or the unit itself while it is in force).
   */
  readonly successors: readonly Unit[];
  /** The one unit of today its figures count under: the only successor, or for a split the primary one. */
  readonly rollUpTo: Unit;
}

/** Whether a code is valid on a day, and if not, what to tell whoever used it. */
export type UnitCheck =
  | { readonly ok: true; readonly unit: Unit }
  | {
      readonly ok: false;
      readonly reason: "retired";
      readonly code: string;
      readonly day: string;
      /** The unit the code last named, with its last day in `validTo`. */
      readonly retired: Unit;
      /** Today's units holding its territory (as in CurrentUnits.successors). */
      readonly successors: readonly Unit[];
    }
  | {
      readonly ok: false;
      readonly reason: "not-yet-valid";
      readonly code: string;
      readonly day: string;
      /** The unit the code names later, with its first day in `validFrom`. */
      readonly later: Unit;
    }
  | { readonly ok: false; readonly reason: "unknown"; readonly code: string; readonly day: string };

/** Reading the units of the day itself (historic) or the units in force today (current). */
export type AsOf = "historic" | "current";

export interface UnitRegistry {
  /** The unit `code` names on `date`, if any. */
  readonly unitOn: (code: string, date: string) => Unit | undefined;
  readonly unitByKey: (key: string) => Unit | undefined;
  /** Every unit in force on `date`, optionally of one level, in code order. */
  readonly unitsOn: (date: string, level?: UnitLevel) => readonly Unit[];
  readonly isWithin: (scopeCode: string, unitCode: string, onDate: string) => boolean;
  readonly rollsUpInto: (scopeCode: string, unitCode: string, onDate: string) => boolean;
  readonly validateUnitOnDate: (code: string, date: string) => UnitCheck;
  readonly currentUnitsOf: (code: string, onDate: string) => CurrentUnits | undefined;
  readonly rollUp: (code: string, date: string, asOf: AsOf) => readonly Unit[];
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The Vietnamese day of a date (`2018-05-01`) or an instant with an offset: an event at
 * `2025-06-30T18:00:00Z` is on 1 July in Vietnam, so it is read in the new units.
 */
export const dayOf = (date: string): string => {
  const match = DAY.exec(date);
  if (match !== null) {
    const [, y, m, d] = match.map(Number) as [number, number, number, number];
    const parsed = new Date(Date.UTC(y, m - 1, d));
    if (parsed.getUTCFullYear() === y && parsed.getUTCMonth() === m - 1 && parsed.getUTCDate() === d)
      return date;
  } else if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(date) && !Number.isNaN(Date.parse(date))) {
    return vietnamDayOf(date);
  }
  throw new RangeError(`not a date (YYYY-MM-DD) or an instant with an offset: ${JSON.stringify(date)}`);
};

const validOn = (unit: Unit, day: string): boolean =>
  unit.validFrom <= day && (unit.validTo === undefined || day <= unit.validTo);

const byCode = (a: Unit, b: Unit): number => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * A registry over units and the successions between them. Pure: everything is indexed once here, so
 * each lookup is a map read and a walk of at most four parents.
 *
 * Split rule: an old unit split between several new ones rolls up, whole, into the new unit with the
 * lowest code among them. Each old unit counts under exactly one unit of today, so a report in today's
 * units has the totals of the report in the units of its time, in whole people and whole đồng.
 */
export const createUnitRegistry = (
  units: readonly Unit[],
  successions: readonly Succession[],
): UnitRegistry => {
  const byKey = new Map<string, Unit>();
  const versions = new Map<string, Unit[]>();
  for (const unit of units) {
    if (byKey.has(unit.key)) throw new Error(`unit ${unit.key} is listed twice`);
    byKey.set(unit.key, unit);
    const list = versions.get(unit.code) ?? [];
    const overlapping = list.find(
      (u) => u.validFrom <= (unit.validTo ?? "9999-12-31") && unit.validFrom <= (u.validTo ?? "9999-12-31"),
    );
    if (overlapping !== undefined) throw new Error(`units ${overlapping.key} and ${unit.key} share days`);
    versions.set(
      unit.code,
      [...list, unit].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1)),
    );
  }

  const find = (code: string, day: string): Unit | undefined =>
    versions.get(code)?.find((u) => validOn(u, day));

  const parentOf = new Map<string, Unit>();
  for (const unit of units) {
    if (unit.parent === undefined) continue;
    const parent = find(unit.parent, unit.validFrom);
    const coversChild =
      parent !== undefined &&
      (parent.validTo === undefined || (unit.validTo !== undefined && unit.validTo <= parent.validTo));
    if (!coversChild) throw new Error(`unit ${unit.key} has no parent ${unit.parent} for all its life`);
    parentOf.set(unit.key, parent);
  }

  const next = new Map<string, Succession[]>();
  for (const s of successions) {
    const from = byKey.get(s.from);
    const to = byKey.get(s.to);
    if (from === undefined || to === undefined)
      throw new Error(`succession ${s.from} → ${s.to} names no unit`);
    if (from.level !== to.level) throw new Error(`succession ${s.from} → ${s.to} changes level`);
    // A successor begins after its predecessor ends, so following successions always ends, today.
    if (from.validTo === undefined || to.validFrom <= from.validTo) {
      throw new Error(`succession ${s.from} → ${s.to} does not go forward in time`);
    }
    next.set(s.from, [...(next.get(s.from) ?? []), s]);
  }
  for (const [from, list] of next) {
    if (list.length > 1 && list.some((s) => s.how !== "part")) {
      throw new Error(`${from} goes whole to one unit and to others too`);
    }
  }

  const ancestors = (unit: Unit): Unit[] => {
    const chain = [unit];
    for (let p = parentOf.get(unit.key); p !== undefined; p = parentOf.get(p.key)) chain.push(p);
    return chain;
  };

  /** The split rule: the lowest code among the new units that took a part. */
  const primary = (list: readonly Succession[]): Unit => {
    const targets = list.map((s) => byKey.get(s.to) as Unit).sort(byCode);
    return targets[0] as Unit;
  };

  const allSuccessors = (unit: Unit): readonly Unit[] => {
    if (unit.validTo === undefined) return [unit];
    const direct = next.get(unit.key);
    if (direct !== undefined) return direct.flatMap((s) => allSuccessors(byKey.get(s.to) as Unit));
    // No pair recorded for this unit: the nearest ancestor with one says where its territory went.
    const parent = parentOf.get(unit.key);
    return parent === undefined ? [] : allSuccessors(parent);
  };
  const successorsOf = (unit: Unit): readonly Unit[] =>
    [...new Map(allSuccessors(unit).map((u) => [u.key, u])).values()].sort(byCode);

  const rollUpTarget = (unit: Unit): Unit | undefined => {
    if (unit.validTo === undefined) return unit;
    const direct = next.get(unit.key);
    if (direct !== undefined) return rollUpTarget(primary(direct));
    const parent = parentOf.get(unit.key);
    return parent === undefined ? undefined : rollUpTarget(parent);
  };

  const unitOn = (code: string, date: string) => find(code, dayOf(date));

  const currentUnitsOf = (code: string, onDate: string): CurrentUnits | undefined => {
    const unit = unitOn(code, onDate);
    if (unit === undefined) return undefined;
    const rollUpTo = rollUpTarget(unit);
    if (rollUpTo === undefined) return undefined;
    return { unit, successors: successorsOf(unit), rollUpTo };
  };

  const rollUp = (code: string, date: string, asOf: AsOf): readonly Unit[] => {
    switch (asOf) {
      case "historic": {
        const unit = unitOn(code, date);
        return unit === undefined ? [] : ancestors(unit);
      }
      case "current": {
        const target = currentUnitsOf(code, date)?.rollUpTo;
        return target === undefined ? [] : ancestors(target);
      }
      default: {
        const unhandled: never = asOf;
        throw new Error(`unknown asOf ${String(unhandled)}`);
      }
    }
  };

  const contains = (chain: readonly Unit[], scope: Unit | undefined): boolean =>
    scope !== undefined && chain.some((u) => u.key === scope.key);

  const current = (code: string): Unit | undefined =>
    versions.get(code)?.find((u) => u.validTo === undefined);

  return {
    unitOn,
    unitByKey: (key) => byKey.get(key),
    unitsOn: (date, level) => {
      const day = dayOf(date);
      return units.filter((u) => validOn(u, day) && (level === undefined || u.level === level)).sort(byCode);
    },
    isWithin: (scopeCode, unitCode, onDate) =>
      contains(rollUp(unitCode, onDate, "historic"), unitOn(scopeCode, onDate)),
    rollsUpInto: (scopeCode, unitCode, onDate) =>
      contains(rollUp(unitCode, onDate, "current"), current(scopeCode)),
    validateUnitOnDate: (code, date) => {
      const day = dayOf(date);
      const unit = find(code, day);
      if (unit !== undefined) return { ok: true, unit };
      const all = versions.get(code) ?? [];
      const retired = all.filter((u) => u.validTo !== undefined && u.validTo < day).at(-1);
      if (retired !== undefined) {
        return { ok: false, reason: "retired", code, day, retired, successors: successorsOf(retired) };
      }
      const later = all.find((u) => u.validFrom > day);
      if (later !== undefined) return { ok: false, reason: "not-yet-valid", code, day, later };
      return { ok: false, reason: "unknown", code, day };
    },
    currentUnitsOf,
    rollUp,
  };
};
