import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import {
  type CampaignDelta,
  type CampaignView,
  campaignOf,
  foldDeltas,
  mergeDeltas,
  type Totals,
  zeroTotals,
} from "#domain/projection.ts";
import { DomainEvent } from "#events/index.ts";
import type { Config } from "./config.ts";
import {
  appliedMarker,
  campaignPk,
  claimRecordSk,
  deltaAttributes,
  deltaFromItem,
  shardPrefix,
  shardSk,
} from "./legacy-campaign-layout.ts";
import { eventOfLedgerItem } from "./store.ts";

/**
 * Blue/green rebuild of the campaign projections: every event of the ledger that moves a projection is
 * folded again and written as a new projection version beside the live one, then the two are compared
 * campaign by campaign. Nothing the projector or the query reads is touched; switching to the new version
 * is a configuration change the operator makes afterwards (docs/rebuild.md).
 */

/** Marks a shard item as written by a rebuild; `deltaFromItem` ignores it like the keys. */
export const REBUILT_AT = "rebuiltAt";

/**
 * Attributes per rebuilt shard item. A name like `d20260905m` and its number take about 15 bytes,
 * so 8,000 stay well under DynamoDB's 400 KB item limit; a larger campaign spills into more shards.
 */
const MAX_ATTRIBUTES_PER_ITEM = 8_000;
const BATCH_WRITE_SIZE = 25;
const WRITE_CONCURRENCY = 8;
const READ_CONCURRENCY = 16;
const MAX_WRITE_ATTEMPTS = 10;
/** Differing days and units listed per campaign; the counts say how many there are in all. */
const MAX_LISTED_KEYS = 20;

export class RebuildError extends Error {
  override readonly name: string = "RebuildError";
}

/** The rebuild would overwrite data someone may be reading: nothing was written. */
export class RebuildRefused extends RebuildError {
  override readonly name = "RebuildRefused";
}

export type RebuildProgress =
  | { readonly phase: "scan"; readonly scanned: number; readonly events: number; readonly done: boolean }
  | { readonly phase: "clear"; readonly deleted: number; readonly of: number }
  | { readonly phase: "write"; readonly written: number; readonly of: number }
  | { readonly phase: "compare"; readonly compared: number; readonly of: number };

export interface RebuildOptions {
  /** The version to compare with; the configured (live) one by default. */
  readonly fromVersion?: number;
  /** The version to write; `fromVersion + 1` by default. Never the live version. */
  readonly toVersion?: number;
  /** Parallel Scan segments over the ledger. */
  readonly segments?: number;
  /** Called every `progressEvery` ledger items scanned, and at the end of each phase. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly progressEvery?: number;
  readonly now?: () => number;
}

export interface KeyDifference {
  /** The day (`YYYY-MM-DD`, Vietnam time) or unit code. */
  readonly key: string;
  readonly live: Totals;
  readonly rebuilt: Totals;
}

export interface CampaignDifference {
  readonly campaignId: string;
  readonly live: Totals;
  readonly rebuilt: Totals;
  readonly differingDays: number;
  readonly differingUnits: number;
  /** The first differing days and units (at most 20 of each). */
  readonly days: readonly KeyDifference[];
  readonly units: readonly KeyDifference[];
  /**
   * Events of this campaign whose claim is neither recorded nor marked applied: still in flight on the
   * queue. They are in the rebuild but not yet in the live version; once drained, they no longer differ.
   */
  readonly unsettledEvents: number;
}

export interface RebuildReport {
  /** Ledger items read. */
  readonly scanned: number;
  /** Events folded into the new version (those with a claim: the ones that move a projection). */
  readonly events: number;
  /** Campaigns in the new version or the live one. */
  readonly campaigns: number;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Items of `toVersion` left by an earlier rebuild and deleted first. */
  readonly itemsDeleted: number;
  readonly itemsWritten: number;
  /** Summed over the differing campaigns; see {@link CampaignDifference.unsettledEvents}. */
  readonly unsettledEvents: number;
  readonly equalsLive: boolean;
  readonly differences: readonly CampaignDifference[];
}

type Item = Record<string, unknown>;
type Key = { pk: string; sk: string };

const mapLimit = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const campaignOfPk = (pk: unknown): string | undefined =>
  typeof pk === "string" && pk.startsWith("c#") ? pk.slice(2) : undefined;

const addTotals = (into: Totals, add: Totals): void => {
  into.moneyVnd += add.moneyVnd;
  into.inKindVnd += add.inKindVnd;
  into.count += add.count;
};

const addInto = (map: Map<string, Totals>, key: string, add: Totals): void => {
  const existing = map.get(key);
  if (existing) addTotals(existing, add);
  else map.set(key, { ...add });
};

const addDelta = (into: Map<string, CampaignDelta>, add: CampaignDelta): void => {
  let delta = into.get(add.campaignId);
  if (delta === undefined) {
    delta = { campaignId: add.campaignId, total: zeroTotals(), byDay: new Map(), byUnit: new Map() };
    into.set(add.campaignId, delta);
  }
  addTotals(delta.total, add.total);
  for (const [day, t] of add.byDay) addInto(delta.byDay, day, t);
  for (const [unit, t] of add.byUnit) addInto(delta.byUnit, unit, t);
};

/** Every item of a table, Scan segments in parallel, each paginated. */
const scanAll = async (
  ddb: DynamoDBDocumentClient,
  input: Omit<
    ConstructorParameters<typeof ScanCommand>[0],
    "Segment" | "TotalSegments" | "ExclusiveStartKey"
  >,
  segments: number,
  onPage: (items: Item[]) => void,
): Promise<void> => {
  let failed = false;
  await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let startKey: Item | undefined;
      try {
        do {
          const out: ScanCommandOutput = await ddb.send(
            new ScanCommand({
              ...input,
              Segment: segment,
              TotalSegments: segments,
              ExclusiveStartKey: startKey,
            }),
          );
          if (failed) return;
          onPage(out.Items ?? []);
          startKey = out.LastEvaluatedKey;
        } while (startKey);
      } catch (error) {
        // One failed segment fails the scan: the others stop after their current page.
        failed = true;
        throw error;
      }
    }),
  );
};

/** All items of one campaign partition whose sort key starts with `prefix`, read strongly consistent. */
const queryPartition = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  prefix: string,
): Promise<Item[]> => {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out: QueryCommandOutput = await ddb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
        ExpressionAttributeValues: { ":pk": campaignPk(campaignId), ":prefix": prefix },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** BatchWriteItem in calls of 25, a few at a time, retrying unprocessed requests with backoff. */
const batchWrite = async (
  ddb: DynamoDBDocumentClient,
  table: string,
  requests: readonly ({ PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } })[],
  onDone: (count: number) => void,
): Promise<void> => {
  // DynamoDB refuses a request that names one key twice: each key once, the last request for it kept.
  const byKey = new Map<string, (typeof requests)[number]>();
  for (const r of requests) {
    const { pk, sk } = "PutRequest" in r ? r.PutRequest.Item : r.DeleteRequest.Key;
    byKey.set(`${String(pk)}|${String(sk)}`, r);
  }
  await mapLimit(chunk([...byKey.values()], BATCH_WRITE_SIZE), WRITE_CONCURRENCY, async (part) => {
    let pending: typeof part = part;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt === MAX_WRITE_ATTEMPTS) {
        throw new RebuildError(`${pending.length} writes to ${table} stayed unprocessed after retries`);
      }
      if (attempt > 0) await sleep(Math.min(2_000, 50 * 2 ** attempt));
      const out: BatchWriteCommandOutput = await ddb.send(
        new BatchWriteCommand({ RequestItems: { [table]: pending } }),
      );
      pending = (out.UnprocessedItems?.[table] ?? []) as typeof part;
    }
    onDone(part.length);
  });
};

/** The shard items a campaign's rebuilt delta is written as: whole items, no claim markers. */
const rebuiltItems = (delta: CampaignDelta, version: number, rebuiltAt: number): Item[] =>
  chunk(deltaAttributes(delta), MAX_ATTRIBUTES_PER_ITEM).map((attributes, shard) => ({
    pk: campaignPk(delta.campaignId),
    sk: shardSk(version, shard),
    [REBUILT_AT]: rebuiltAt,
    ...Object.fromEntries(attributes),
  }));

const hasClaimMarker = (item: Item): boolean =>
  Object.keys(item).some((name) => name.startsWith("a#") || name.startsWith("f#"));

const sameTotals = (a: Totals, b: Totals): boolean =>
  a.moneyVnd === b.moneyVnd && a.inKindVnd === b.inKindVnd && a.count === b.count;

/** Keys whose totals differ; a key missing on one side counts as zeros there. */
const differingKeys = <T extends Totals>(
  live: readonly T[],
  rebuilt: readonly T[],
  keyOf: (t: T) => string,
): KeyDifference[] => {
  const liveBy = new Map(live.map((t) => [keyOf(t), t]));
  const rebuiltBy = new Map(rebuilt.map((t) => [keyOf(t), t]));
  const totalsOf = (t: Totals | undefined): Totals =>
    t ? { moneyVnd: t.moneyVnd, inKindVnd: t.inKindVnd, count: t.count } : zeroTotals();
  return [...new Set([...liveBy.keys(), ...rebuiltBy.keys()])]
    .sort()
    .map((key) => ({ key, live: totalsOf(liveBy.get(key)), rebuilt: totalsOf(rebuiltBy.get(key)) }))
    .filter((d) => !sameTotals(d.live, d.rebuilt));
};

const compareViews = (
  live: CampaignView,
  rebuilt: CampaignView,
): Omit<CampaignDifference, "unsettledEvents"> | undefined => {
  const days = differingKeys(live.byDay, rebuilt.byDay, (t) => t.day);
  const units = differingKeys(live.byUnit, rebuilt.byUnit, (t) => t.unitCode);
  if (sameTotals(live.pledged, rebuilt.pledged) && days.length === 0 && units.length === 0) return undefined;
  return {
    campaignId: live.campaignId,
    live: live.pledged,
    rebuilt: rebuilt.pledged,
    differingDays: days.length,
    differingUnits: units.length,
    days: days.slice(0, MAX_LISTED_KEYS),
    units: units.slice(0, MAX_LISTED_KEYS),
  };
};

/**
 * Re-derives every campaign projection from the ledger into version `toVersion`, then compares it with
 * version `fromVersion` (the live one). Safe to run while the product serves: it reads the ledger and
 * writes only the new version. Re-running replaces what an earlier run wrote to `toVersion`.
 *
 * Throws {@link RebuildRefused} (before writing anything) when `toVersion` is live or holds items a
 * projector wrote, and {@link RebuildError} when a ledger event does not parse.
 */
export const rebuildProjections = async (
  config: Pick<Config, "ledgerTable" | "projectionTable" | "projectionVersion">,
  ddb: DynamoDBDocumentClient,
  options: RebuildOptions = {},
): Promise<RebuildReport> => {
  const fromVersion = options.fromVersion ?? config.projectionVersion;
  const toVersion = options.toVersion ?? fromVersion + 1;
  const segments = Math.max(1, options.segments ?? 4);
  const every = Math.max(1, options.progressEvery ?? 5_000);
  const report = options.onProgress ?? (() => undefined);
  const now = options.now ?? Date.now;
  for (const [name, v] of [
    ["fromVersion", fromVersion],
    ["toVersion", toVersion],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 1) throw new RebuildError(`${name} must be a whole number ≥ 1`);
  }
  if (toVersion === fromVersion || toVersion === config.projectionVersion) {
    throw new RebuildRefused(
      `version ${toVersion} is live: a rebuild writes beside the live version, never over it (choose --to)`,
    );
  }

  // 1. What the projection table holds in both versions: the live campaigns (some may be missing from
  //    the ledger), and the target items an earlier rebuild left. Items a projector wrote (no rebuild
  //    mark, or claim markers) mean the target version has been switched to: refuse to touch it.
  const liveCampaigns = new Set<string>();
  const leftovers: Key[] = [];
  const foreign: string[] = [];
  await scanAll(
    ddb,
    {
      TableName: config.projectionTable,
      FilterExpression: "begins_with(sk, :from) OR begins_with(sk, :to)",
      ExpressionAttributeValues: { ":from": shardPrefix(fromVersion), ":to": shardPrefix(toVersion) },
    },
    segments,
    (items) => {
      for (const item of items) {
        const campaignId = campaignOfPk(item.pk);
        if (campaignId === undefined) continue;
        if (String(item.sk).startsWith(shardPrefix(fromVersion))) liveCampaigns.add(campaignId);
        else if (item[REBUILT_AT] === undefined || hasClaimMarker(item))
          foreign.push(`${item.pk} ${item.sk}`);
        else leftovers.push({ pk: String(item.pk), sk: String(item.sk) });
      }
    },
  );
  if (foreign.length > 0) {
    throw new RebuildRefused(
      `version ${toVersion} holds ${foreign.length} item(s) written by a projector (e.g. ${foreign[0]}): ` +
        "it is or was live; rebuild into another version, or compare with it as the live one",
    );
  }

  // 2. Fold the ledger: every event with a claim, i.e. every event that moves a projection.
  const rebuilt = new Map<string, CampaignDelta>();
  /** Per campaign, the events of each claim: to tell in-flight events from real differences. */
  const claims = new Map<string, Map<string, number>>();
  let scanned = 0;
  let events = 0;
  await scanAll(
    ddb,
    {
      TableName: config.ledgerTable,
      ProjectionExpression: "eventId, #event, claimId",
      ExpressionAttributeNames: { "#event": "event" },
    },
    segments,
    (items) => {
      const page: DomainEvent[] = [];
      for (const item of items) {
        if (typeof item.claimId !== "string") continue;
        const parsed = DomainEvent.safeParse(eventOfLedgerItem(item));
        if (!parsed.success) {
          throw new RebuildError(
            `ledger event ${String(item.eventId)} does not parse: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          );
        }
        page.push(parsed.data);
        const campaignId = campaignOf(parsed.data);
        if (campaignId !== undefined) {
          const perClaim = claims.get(campaignId) ?? new Map<string, number>();
          claims.set(campaignId, perClaim);
          perClaim.set(item.claimId, (perClaim.get(item.claimId) ?? 0) + 1);
        }
      }
      for (const delta of foldDeltas(page).values()) addDelta(rebuilt, delta);
      const before = scanned;
      scanned += items.length;
      events += page.length;
      if (Math.floor(scanned / every) > Math.floor(before / every)) {
        report({ phase: "scan", scanned, events, done: false });
      }
    },
  );
  report({ phase: "scan", scanned, events, done: true });

  // 3. Replace what an earlier rebuild left in the target version, then write the new one.
  let deleted = 0;
  await batchWrite(
    ddb,
    config.projectionTable,
    leftovers.map((Key) => ({ DeleteRequest: { Key } })),
    (n) => {
      deleted += n;
    },
  );
  report({ phase: "clear", deleted, of: leftovers.length });
  const rebuiltAt = now();
  const items = [...rebuilt.values()].flatMap((delta) => rebuiltItems(delta, toVersion, rebuiltAt));
  let written = 0;
  let lastReported = 0;
  await batchWrite(
    ddb,
    config.projectionTable,
    items.map((Item) => ({ PutRequest: { Item } })),
    (n) => {
      written += n;
      if (written - lastReported >= every) {
        lastReported = written;
        report({ phase: "write", written, of: items.length });
      }
    },
  );
  report({ phase: "write", written, of: items.length });

  // 4. Compare, per campaign, the views the query would serve from each version, read back from the table.
  const campaigns = [...new Set([...rebuilt.keys(), ...liveCampaigns])].sort();
  const readView = async (campaignId: string, version: number) =>
    mergeDeltas(
      campaignId,
      (await queryPartition(ddb, config.projectionTable, campaignId, shardPrefix(version))).map((item) =>
        deltaFromItem(campaignId, item),
      ),
    );
  /** Events whose claim has no record and no applied marker on any shard item of the campaign. */
  const unsettledEventsOf = async (campaignId: string): Promise<number> => {
    const perClaim = claims.get(campaignId);
    if (perClaim === undefined) return 0;
    const [records, shards] = await Promise.all([
      queryPartition(ddb, config.projectionTable, campaignId, claimRecordSk("")),
      queryPartition(ddb, config.projectionTable, campaignId, "v"),
    ]);
    const recorded = new Set(records.map((r) => String(r.sk)));
    // A claim applied by a worker that died before writing its record still has its `a#` marker.
    const settled = (claimId: string) =>
      recorded.has(claimRecordSk(claimId)) || shards.some((s) => s[appliedMarker(claimId)] !== undefined);
    return [...perClaim].reduce((sum, [claimId, n]) => (settled(claimId) ? sum : sum + n), 0);
  };
  let compared = 0;
  const differences = (
    await mapLimit(campaigns, READ_CONCURRENCY, async (campaignId) => {
      const [live, fresh] = await Promise.all([
        readView(campaignId, fromVersion),
        readView(campaignId, toVersion),
      ]);
      const difference = compareViews(live, fresh);
      compared++;
      if (compared % every === 0) report({ phase: "compare", compared, of: campaigns.length });
      return difference && { ...difference, unsettledEvents: await unsettledEventsOf(campaignId) };
    })
  ).filter((d) => d !== undefined);
  report({ phase: "compare", compared, of: campaigns.length });

  return {
    scanned,
    events,
    campaigns: campaigns.length,
    fromVersion,
    toVersion,
    itemsDeleted: deleted,
    itemsWritten: written,
    unsettledEvents: differences.reduce((sum, d) => sum + d.unsettledEvents, 0),
    equalsLive: differences.length === 0,
    differences,
  };
};

export interface DeleteVersionReport {
  /** Claims found applied on an item of the version (an `a#` marker) whose record was then written. */
  readonly claimsRecorded: number;
  readonly itemsDeleted: number;
}

/**
 * Deletes the shard items of a projection version that is no longer live (after a switch, once no
 * projector runs with it any more). An `a#` marker on such an item may be the only durable fact that its
 * claim was applied (its worker died before writing the record); deleting it would let a later fence
 * succeed and the claim's events be counted again. So every marked claim gets its record first (a
 * conditional put: an existing record is kept), and only then are the items deleted.
 */
export const deleteProjectionVersion = async (
  config: Pick<Config, "projectionTable" | "projectionVersion">,
  ddb: DynamoDBDocumentClient,
  version: number,
  options: { readonly now?: () => number; readonly segments?: number } = {},
): Promise<DeleteVersionReport> => {
  if (version === config.projectionVersion) {
    throw new RebuildRefused(`version ${version} is live: switch to another version before deleting it`);
  }
  const now = options.now ?? Date.now;
  const items: Item[] = [];
  await scanAll(
    ddb,
    {
      TableName: config.projectionTable,
      FilterExpression: "begins_with(sk, :v)",
      ExpressionAttributeValues: { ":v": shardPrefix(version) },
      ConsistentRead: true,
    },
    Math.max(1, options.segments ?? 4),
    (page) => items.push(...page),
  );
  const marked = items.flatMap((item) =>
    Object.entries(item)
      .filter(([name]) => name.startsWith("a#"))
      .map(([name, value]) => ({ item, claimId: name.slice(2), value })),
  );
  let claimsRecorded = 0;
  await mapLimit(marked, WRITE_CONCURRENCY, async ({ item, claimId, value }) => {
    try {
      await ddb.send(
        new PutCommand({
          TableName: config.projectionTable,
          Item: {
            pk: item.pk,
            sk: claimRecordSk(claimId),
            shardSk: item.sk,
            events: 0,
            appliedAt: now(),
            // The marker names the events the claim left out, if any: the record must say it too.
            ...(typeof value === "string" ? { excluded: value } : {}),
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      claimsRecorded++;
    } catch (error) {
      if (!(error instanceof Error && error.name === "ConditionalCheckFailedException")) throw error;
    }
  });
  let itemsDeleted = 0;
  const keys = [...new Map(items.map((i) => [`${i.pk}|${i.sk}`, { pk: String(i.pk), sk: String(i.sk) }]))];
  await batchWrite(
    ddb,
    config.projectionTable,
    keys.map(([, Key]) => ({ DeleteRequest: { Key } })),
    (n) => {
      itemsDeleted += n;
    },
  );
  return { claimsRecorded, itemsDeleted };
};
