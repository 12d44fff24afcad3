import { type AsOf, dayOf, rollUp } from "../units.ts";

/** Where one event's figures go in one family's partitions: a partition and item, and its distinct set. */
export interface UnitTarget {
  readonly partition: string;
  readonly item: string;
  /** The scope in which a member is counted once: the unit's partition, or the nation's per view. */
  readonly set: string;
}

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
        const partition = `${family}#VN#${view.tag}${suffix}`;
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
