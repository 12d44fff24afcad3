import { type AsOf, dayOf, rollUp } from "../units.ts";

/** Where one event's figures go in one family's partitions: a partition and item, and its distinct set. */
export interface UnitTarget {
  readonly partition: string;
  readonly item: string;
  /** The scope in which a member is counted once: the unit's partition, or the nation's per view. */
  readonly set: string;
}

/**
 * The last year whose units changed (the 2025 reform took effect on 1 July 2025). For a later year the units
 * of the time are today's, so the nation's two views are one partition and an event moves one item there,
 * not two. A future reform moves this year.
 */
export const LAST_REFORM_YEAR = 2025;

/** The tag of the nation's partition for a view and a year (`#<year>` suffix), or none for later years. */
export const nationTag = (tag: string, suffix: string): string => {
  const year = /^#(\d{4})$/.exec(suffix)?.[1];
  return year !== undefined && Number(year) > LAST_REFORM_YEAR ? "" : `#${tag}`;
};

const VIEWS: readonly { readonly asOf: AsOf; readonly tag: string }[] = [
  { asOf: "historic", tag: "h" },
  { asOf: "current", tag: "c" },
];

/**
 * Every unit an event at `unitCode` on `occurredAt` counts in, read in the units of its time and in today's:
 * one partition per unit (`<family>#<unitKey><suffix>`, item `t`), named by the unit's key so that a code
 * reused by the 2025 reform never mixes two units, and so that a unit of today is one partition in both
 * views (its events are the same). The nation is one partition per view with one item per province
 * (`p#<provinceKey>`): bounded by the number of provinces, summed on read; its distinct set spans the view,
 * so a person counted in two provinces is one person in the nation. Empty when the code named no unit.
 */
export const unitTargets = (
  family: string,
  unitCode: string,
  occurredAt: string,
  suffix: string,
): readonly UnitTarget[] => {
  const day = dayOf(occurredAt);
  const targets = new Map<string, UnitTarget>();
  for (const view of VIEWS) {
    const chain = rollUp(unitCode, day, view.asOf);
    const province = chain.find((u) => u.level === "province");
    for (const unit of chain) {
      if (unit.level === "nation") {
        if (province === undefined) continue;
        const partition = `${family}#VN${nationTag(view.tag, suffix)}${suffix}`;
        const item = `p#${province.key}`;
        targets.set(`${partition} ${item}`, { partition, item, set: partition });
      } else {
        const partition = `${family}#${unit.key}${suffix}`;
        targets.set(`${partition} t`, { partition, item: "t", set: partition });
      }
    }
  }
  return [...targets.values()];
};

/** The Vietnamese calendar year of an instant, as a string (`2018`). */
export const yearOf = (occurredAt: string): string => dayOf(occurredAt).slice(0, 4);

/** The Vietnamese calendar month of an instant, two digits (`09`). */
export const monthOf = (occurredAt: string): string => dayOf(occurredAt).slice(5, 7);
