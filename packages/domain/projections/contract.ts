import type { DomainEvent } from "#events/index.ts";

/** Where counters live: a partition (one Query reads it, whatever the number of events) and an item in it.
 *  Both strings are built by the domain (e.g. partition `support#15#2018`, item `c#04480`); storage never
 *  builds domain keys. Items must stay bounded in size by design (< 8 KB): never one attribute per commune
 *  of the country in one item; a national figure is partitioned per province and summed on read. */
export interface Target {
  readonly partition: string;
  readonly item: string;
}

/** What one event adds to one target: flat integer counters (VND or counts), named by the projection. */
export interface Contribution {
  readonly target: Target;
  readonly add: Readonly<Record<string, number>>;
  /** Counters that add 1 only the first time `member` is seen in `set` (distinct people per unit and
   *  year, at each roll-up level). The engine makes this exactly-once too. */
  readonly firsts?: readonly { readonly set: string; readonly member: string; readonly counter: string }[];
}

/** A projection: a name, the event types it reads, and a pure function from an event to contributions. */
export interface Projection {
  readonly name: string;
  readonly eventTypes: readonly DomainEvent["type"][];
  readonly contributions: (event: DomainEvent) => readonly Contribution[];
}
