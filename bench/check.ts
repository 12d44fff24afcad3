import { type CampaignView, foldDeltas, mergeDeltas, type Totals } from "#domain/projection.ts";
import type { DomainEvent } from "#events/index.ts";

/** The view a fold of the distinct events gives: what every run's projection must equal. */
export const truthOf = (queued: readonly DomainEvent[], campaignId: string): CampaignView => {
  const unique = [...new Map(queued.map((e) => [e.eventId, e])).values()];
  const delta = foldDeltas(unique).get(campaignId);
  return mergeDeltas(campaignId, delta ? [delta] : []);
};

const show = (t: Totals | undefined) =>
  t ? `money ${t.moneyVnd}, goods ${t.inKindVnd}, count ${t.count}` : "nothing";
const same = (a: Totals | undefined, b: Totals | undefined) =>
  (a?.moneyVnd ?? 0) === (b?.moneyVnd ?? 0) &&
  (a?.inKindVnd ?? 0) === (b?.inKindVnd ?? 0) &&
  (a?.count ?? 0) === (b?.count ?? 0);

/**
 * Every difference between a projection and the truth: money, goods and count of the campaign, of
 * each day and of each commune. Empty when they agree.
 */
export const differences = (actual: CampaignView, truth: CampaignView): string[] => {
  const out: string[] = [];
  if (!same(actual.pledged, truth.pledged))
    out.push(`campaign: ${show(actual.pledged)}; the events say ${show(truth.pledged)}`);
  const compare = (label: string, a: Map<string, Totals>, t: Map<string, Totals>) => {
    for (const key of [...new Set([...a.keys(), ...t.keys()])].sort()) {
      if (!same(a.get(key), t.get(key)))
        out.push(`${label} ${key}: ${show(a.get(key))}; the events say ${show(t.get(key))}`);
    }
  };
  compare("day", new Map(actual.byDay.map((d) => [d.day, d])), new Map(truth.byDay.map((d) => [d.day, d])));
  compare(
    "commune",
    new Map(actual.byUnit.map((u) => [u.unitCode, u])),
    new Map(truth.byUnit.map((u) => [u.unitCode, u])),
  );
  return out;
};

/** A run whose projection differs from the events: the benchmark stops with this message. */
export class MismatchError extends Error {
  override name = "MismatchError";
}

/** Throws a MismatchError naming the first differences, so no figure of a wrong run is printed. */
export const assertMatches = (label: string, actual: CampaignView, truth: CampaignView): void => {
  const found = differences(actual, truth);
  if (found.length === 0) return;
  throw new MismatchError(
    `${label}: the projection does not match the distinct events (${found.length} differences): ` +
      `${found.slice(0, 5).join("; ")}${found.length > 5 ? "; …" : ""}`,
  );
};
