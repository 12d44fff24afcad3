import { type CampaignDelta, type Totals, zeroTotals } from "#domain/projection.ts";

/* The campaign-only layout before the projection engine: kept only until rebuild.ts moves to the engine. */

/**
 * How the campaign projection is laid out in DynamoDB: its keys, its claim markers, and the flat number
 * attributes a delta becomes on a shard item and is read back from. The claim protocol that writes them
 * is in store.ts and docs/exactly-once.md.
 */

export const campaignPk = (campaignId: string): string => `c#${campaignId}`;
/**
 * Shard items carry the projection version in their sort key, so a rebuild can write version N+1 beside
 * the live version N and the switch is one setting (PROJECTION_VERSION).
 */
export const shardPrefix = (version: number): string => `v${version}#s#`;
export const shardSk = (version: number, shard: number): string => `${shardPrefix(version)}${shard}`;
export const claimRecordSk = (claimId: string): string => `claim#${claimId}`;
/** Marks a claim as applied on its shard item; removed once the claim record is durable. */
export const appliedMarker = (claimId: string): string => `a#${claimId}`;
/** Marks a claim as abandoned on its shard item: it can never be applied after this. */
export const fenceMarker = (claimId: string): string => `f#${claimId}`;

const TOTAL = { m: "moneyVnd", k: "inKindVnd", n: "count" } as const satisfies Record<string, keyof Totals>;
type TotalKey = keyof typeof TOTAL;

/**
 * Flat attribute names: `m`,`k`,`n` for the campaign; `d20260905m` by day; `u04252m` by unit. Names are
 * short on purpose: an apply is billed by the whole item's size, and a provincial campaign's item holds a
 * few hundred of them, so every byte of a name is paid again by every batch that touches the item.
 */
const totalsAttributes = (prefix: string, totals: Totals): [string, number][] =>
  (Object.entries(TOTAL) as [TotalKey, keyof Totals][])
    .filter(([, field]) => totals[field] !== 0)
    .map(([short, field]) => [`${prefix}${short}`, totals[field]]);

/** A Vietnamese day `2026-09-05` as it stands in an attribute name, `20260905`, and back. */
const dayInName = (day: string): string => day.replaceAll("-", "");
const dayFromName = (digits: string): string =>
  `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;

/** Every attribute a delta adds to, with the amount. Zero amounts are left out to keep items small. */
export const deltaAttributes = (delta: CampaignDelta): [string, number][] => [
  ...totalsAttributes("", delta.total),
  ...[...delta.byDay].flatMap(([day, t]) => totalsAttributes(`d${dayInName(day)}`, t)),
  ...[...delta.byUnit].flatMap(([unit, t]) => totalsAttributes(`u${unit}`, t)),
];

const DAY_NAME = /^d(\d{8})([mkn])$/;
const UNIT_NAME = /^u(\d+)([mkn])$/;
/** Names written before they were shortened (`d#2026-09-05#m`, `u#04252#m`), still read. */
const LONG_NAME = /^([du])#([^#]+)#([mkn])$/;

/** Reads a shard item back into a delta, ignoring keys and claim markers. */
export const deltaFromItem = (campaignId: string, item: Record<string, unknown>): CampaignDelta => {
  const delta: CampaignDelta = { campaignId, total: zeroTotals(), byDay: new Map(), byUnit: new Map() };
  const add = (totals: Totals, short: string, value: unknown) => {
    const field = TOTAL[short as TotalKey];
    if (field !== undefined && typeof value === "number") totals[field] += value;
  };
  const into = (map: Map<string, Totals>, key: string): Totals => {
    const existing = map.get(key);
    if (existing) return existing;
    const fresh = zeroTotals();
    map.set(key, fresh);
    return fresh;
  };
  for (const [name, value] of Object.entries(item)) {
    const day = DAY_NAME.exec(name);
    const unit = UNIT_NAME.exec(name);
    const long = LONG_NAME.exec(name);
    if (name.length === 1) add(delta.total, name, value);
    else if (day) add(into(delta.byDay, dayFromName(day[1] ?? "")), day[2] ?? "", value);
    else if (unit) add(into(delta.byUnit, unit[1] ?? ""), unit[2] ?? "", value);
    else if (long?.[1] === "d") add(into(delta.byDay, long[2] ?? ""), long[3] ?? "", value);
    else if (long?.[1] === "u") add(into(delta.byUnit, long[2] ?? ""), long[3] ?? "", value);
  }
  return delta;
};
