import {
  BatchWriteCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  type ScanCommandOutput,
} from "@aws-sdk/lib-dynamodb";
import { createFolder, type Folded } from "#domain/projections/fold.ts";
import { type Projection, projections as registered } from "#domain/projections/index.ts";
import { toVietnamIso } from "#domain/time.ts";
import { DomainEvent } from "#events/index.ts";
import type { Config } from "./config.ts";
import {
  appliedMarker,
  type Claim,
  claimKey,
  claimOn,
  claimRecordSk,
  itemPrefix,
  itemSk,
  movedAttribute,
  parseRef,
} from "./projection-items.ts";
import { eventOfLedgerItem, type Store } from "./store.ts";

/**
 * Blue/green rebuild of every registered projection: every event of the ledger is folded again through
 * the registry (`packages/domain/projections/index.ts`) and written as a new projection version beside
 * the live one, then the two are compared partition by partition, read as the handlers read them
 * (`store.readPartition`). Nothing the projector or the handlers read is touched; switching to the new
 * version is a configuration change the operator makes afterwards (docs/rebuild.md).
 */

/**
 * Marks an item as written by a rebuild: the time, as text, so that `store.readPartition` (which sums every
 * number attribute) never takes it for a counter.
 */
export const REBUILT_AT = "rebuiltAt";

/**
 * Counters per rebuilt item. Projections keep their items small by design (a few hundred counters); a name
 * and its number take about 20 bytes, so 8,000 stay well under DynamoDB's 400 KB item limit, and an item
 * that ever held more would spill into more shards (`#s1`, …), which a read sums.
 */
const MAX_ATTRIBUTES_PER_ITEM = 8_000;
const BATCH_WRITE_SIZE = 25;
const WRITE_CONCURRENCY = 8;
const READ_CONCURRENCY = 16;
const MAX_WRITE_ATTEMPTS = 10;
/** Differing partitions, items per partition and counters per item listed; the counts say how many in all. */
const MAX_LISTED_PARTITIONS = 100;
const MAX_LISTED = 20;

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
  /** The version to compare with; the store's configured (live) one by default. */
  readonly fromVersion?: number;
  /** The version to write; `fromVersion + 1` by default. Never the live version. */
  readonly toVersion?: number;
  /** Parallel Scan segments over the ledger. */
  readonly segments?: number;
  /** Called every `progressEvery` ledger items scanned, and at the end of each phase. */
  readonly onProgress?: (progress: RebuildProgress) => void;
  readonly progressEvery?: number;
  readonly now?: () => number;
  /**
   * `store.readPartition` reads eventually consistent: a partition that differs is read again once after
   * this many milliseconds before it is reported, so that writes the first read missed are not differences.
   */
  readonly recheckAfterMs?: number;
  /** The projections to rebuild; the registry by default. */
  readonly projections?: readonly Projection[];
}

export interface CounterDifference {
  readonly counter: string;
  /** A counter missing from a version counts as 0 there. */
  readonly live: number;
  readonly rebuilt: number;
}

export interface ItemDifference {
  /** The item, or `*` for the partition's `firsts` counters summed over its items. */
  readonly item: string;
  readonly differingCounters: number;
  /** The first differing counters, by name (at most 20). */
  readonly counters: readonly CounterDifference[];
}

export interface PartitionDifference {
  readonly partition: string;
  readonly differingItems: number;
  /** The first differing items, by name (at most 20). */
  readonly items: readonly ItemDifference[];
  /**
   * Events of this partition whose claim on one of its items was neither recorded nor marked applied:
   * still on the queue (in flight, or left by a worker that died). They are in the rebuild and not yet in
   * the live version; once drained, they no longer differ.
   */
  readonly unsettledEvents: number;
}

export interface RebuildReport {
  /** Ledger items read. */
  readonly scanned: number;
  /** Events folded into the new version: every ledger item that holds one. */
  readonly events: number;
  /** Partitions in the new version or the live one. */
  readonly partitions: number;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Items of `toVersion` left by an earlier rebuild and deleted first. */
  readonly itemsDeleted: number;
  readonly itemsWritten: number;
  /** Summed over the differing partitions; see {@link PartitionDifference.unsettledEvents}. */
  readonly unsettledEvents: number;
  readonly equalsLive: boolean;
  readonly differingPartitions: number;
  /** The first differing partitions, by name (at most 100). */
  readonly differences: readonly PartitionDifference[];
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

const isProjectionItem = (sk: string, version: number): boolean =>
  sk.startsWith(itemPrefix(version)) && /#s\d+$/.test(sk);

/** The items a folded partition is written as: whole items, no claim markers, counters as numbers. */
const rebuiltItems = (folded: Folded, version: number, rebuiltAt: string): Item[] =>
  [...folded].flatMap(([partition, items]) =>
    [...items].flatMap(([item, counters]) =>
      chunk(Object.entries(counters), MAX_ATTRIBUTES_PER_ITEM).map((attributes, shard) => ({
        pk: partition,
        sk: itemSk(version, item, shard),
        [REBUILT_AT]: rebuiltAt,
        ...Object.fromEntries(attributes),
      })),
    ),
  );

const hasClaimMarker = (item: Item): boolean =>
  Object.keys(item).some((name) => name.startsWith("a#") || name.startsWith("f#"));

type Counters = Readonly<Record<string, number>>;

/** The partition-wide name `compareItems` lists the summed `firsts` counters under. */
export const SUMMED_ITEM = "*";

const sumOver = (items: ReadonlyMap<string, Counters>, names: ReadonlySet<string>): Counters => {
  const sum: Record<string, number> = {};
  for (const counters of items.values())
    for (const [name, value] of Object.entries(counters))
      if (names.has(name)) sum[name] = (sum[name] ?? 0) + value;
  return sum;
};

const without = (counters: Counters, names: ReadonlySet<string>): Counters =>
  Object.fromEntries(Object.entries(counters).filter(([name]) => !names.has(name)));

/**
 * The items of a partition whose counters differ; a counter or item missing on one side is 0 there.
 * `firsts` counters are compared summed over the partition (as item {@link SUMMED_ITEM}): which item counts
 * a member depends on the order the events were applied in, when its set spans several items.
 */
const compareItems = (
  live: ReadonlyMap<string, Counters>,
  rebuilt: ReadonlyMap<string, Counters>,
  firsts: ReadonlySet<string>,
): ItemDifference[] => {
  const summedApart = (items: ReadonlyMap<string, Counters>): Map<string, Counters> => {
    const apart = new Map([...items].map(([item, counters]) => [item, without(counters, firsts)]));
    return firsts.size === 0 ? apart : apart.set(SUMMED_ITEM, sumOver(items, firsts));
  };
  const l = summedApart(live);
  const r = summedApart(rebuilt);
  return [...new Set([...l.keys(), ...r.keys()])].sort().flatMap((item) => {
    const li = l.get(item) ?? {};
    const ri = r.get(item) ?? {};
    const counters = [...new Set([...Object.keys(li), ...Object.keys(ri)])]
      .sort()
      .map((counter) => ({ counter, live: li[counter] ?? 0, rebuilt: ri[counter] ?? 0 }))
      .filter((d) => d.live !== d.rebuilt);
    return counters.length === 0
      ? []
      : [{ item, differingCounters: counters.length, counters: counters.slice(0, MAX_LISTED) }];
  });
};

/** The event a ledger row holds, parsed; undefined for a row without one. Throws when it does not parse. */
const eventOfRow = (row: Item): DomainEvent | undefined => {
  if (row.event === undefined) return undefined;
  const fail = (why: string): never => {
    throw new RebuildError(`ledger event ${String(row.eventId)} does not parse: ${why}`);
  };
  let raw: unknown;
  try {
    raw = eventOfLedgerItem(row);
  } catch {
    fail("its text is not JSON");
  }
  const parsed = DomainEvent.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail(issue ? `${issue.path.join(".") || "event"}: ${issue.message}` : "invalid");
  }
  return parsed.data;
};

/**
 * Per partition, the events whose claim on one of its items (the row's `claim`, or the claim a part was
 * moved to, `mv#<partition>|<item>`) has neither a record nor its applied marker: not applied yet, and
 * still on the queue (in flight, or left by a worker that died). Such an event is in the rebuild and not
 * live, and would be applied to the new version after a switch: counted twice there.
 */
const unsettledEvents = async (
  store: Pick<Store, "config" | "claimRecords">,
  ddb: DynamoDBDocumentClient,
  partitions: ReadonlySet<string>,
  projections: readonly Projection[],
  segments: number,
): Promise<Map<string, number>> => {
  /** Claims by claim key, with the events each carries into a differing partition. */
  const claims = new Map<string, { claim: Claim; events: Set<string> }>();
  await scanAll(ddb, { TableName: store.config.ledgerTable }, segments, (rows) => {
    for (const row of rows) {
      const event = eventOfRow(row);
      if (event === undefined) continue;
      for (const { target } of projections.flatMap((p) => p.contributions(event))) {
        if (!partitions.has(target.partition)) continue;
        const ref = parseRef(row[movedAttribute(target)]) ?? parseRef(row.claim);
        if (ref === undefined) continue;
        const claim = claimOn(ref, target);
        const entry = claims.get(claimKey(claim)) ?? { claim, events: new Set<string>() };
        claims.set(claimKey(claim), entry.events.add(event.eventId) && entry);
      }
    }
  });
  const all = [...claims.values()].map((c) => c.claim);
  const recorded = new Set((await store.claimRecords(all)).keys());
  // A claim applied by a worker that died before writing a record still has its `a#` marker.
  const marked = new Set<string>();
  await mapLimit(
    all.filter((claim) => !recorded.has(claimKey(claim))),
    READ_CONCURRENCY,
    async (claim) => {
      const { Item } = await ddb.send(
        new GetCommand({
          TableName: store.config.projectionTable,
          Key: { pk: claim.pk, sk: claim.sk },
          ProjectionExpression: "#a",
          ExpressionAttributeNames: { "#a": appliedMarker(claim.id) },
          ConsistentRead: true,
        }),
      );
      if (Item?.[appliedMarker(claim.id)] !== undefined) marked.add(claimKey(claim));
    },
  );
  const byPartition = new Map<string, Set<string>>();
  for (const [key, { claim, events }] of claims) {
    if (recorded.has(key) || marked.has(key)) continue;
    const ids = byPartition.get(claim.pk) ?? new Set<string>();
    for (const id of events) ids.add(id);
    byPartition.set(claim.pk, ids);
  }
  return new Map([...byPartition].map(([partition, ids]) => [partition, ids.size]));
};

/**
 * Re-derives every registered projection from the ledger into version `toVersion`, then compares it with
 * version `fromVersion` (the live one), partition by partition, through `store.readPartition`. Safe to run
 * while the product serves: it reads the ledger and writes only the new version. Re-running replaces what
 * an earlier run wrote to `toVersion`.
 *
 * Throws {@link RebuildRefused} (before writing anything) when `toVersion` is live or holds items a
 * projector wrote, and {@link RebuildError} when a ledger event does not parse.
 */
export const rebuildProjections = async (
  store: Pick<Store, "config" | "readPartition" | "claimRecords">,
  ddb: DynamoDBDocumentClient,
  options: RebuildOptions = {},
): Promise<RebuildReport> => {
  const { config } = store;
  const fromVersion = options.fromVersion ?? config.projectionVersion;
  const toVersion = options.toVersion ?? fromVersion + 1;
  const segments = Math.max(1, options.segments ?? 4);
  const every = Math.max(1, options.progressEvery ?? 5_000);
  const report = options.onProgress ?? (() => undefined);
  const now = options.now ?? Date.now;
  const projections = options.projections ?? registered;
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

  // 1. What the projection table holds in both versions: the live partitions (some may be missing from
  //    the ledger), and the target items an earlier rebuild left. Items a projector wrote (no rebuild
  //    mark, or claim markers) mean the target version has been switched to: refuse to touch it.
  const livePartitions = new Set<string>();
  const leftovers: Key[] = [];
  const foreign: string[] = [];
  await scanAll(
    ddb,
    {
      TableName: config.projectionTable,
      FilterExpression: "begins_with(sk, :from) OR begins_with(sk, :to)",
      ExpressionAttributeValues: { ":from": itemPrefix(fromVersion), ":to": itemPrefix(toVersion) },
    },
    segments,
    (items) => {
      for (const item of items) {
        const pk = String(item.pk);
        const sk = String(item.sk);
        if (sk.startsWith(itemPrefix(fromVersion))) {
          if (isProjectionItem(sk, fromVersion)) livePartitions.add(pk);
        } else if (item[REBUILT_AT] === undefined || hasClaimMarker(item)) foreign.push(`${pk} ${sk}`);
        else leftovers.push({ pk, sk });
      }
    },
  );
  if (foreign.length > 0) {
    throw new RebuildRefused(
      `version ${toVersion} holds ${foreign.length} item(s) written by a projector (e.g. ${foreign[0]}): ` +
        "it is or was live; rebuild into another version, or compare with it as the live one",
    );
  }

  // 2. Fold the ledger: every event it holds, through every projection (an event that moves none adds
  //    nothing).
  const folder = createFolder(projections);
  let scanned = 0;
  let events = 0;
  await scanAll(ddb, { TableName: config.ledgerTable }, segments, (items) => {
    for (const item of items) {
      const event = eventOfRow(item);
      if (event === undefined) continue;
      folder.add(event);
      events++;
    }
    const before = scanned;
    scanned += items.length;
    if (Math.floor(scanned / every) > Math.floor(before / every)) {
      report({ phase: "scan", scanned, events, done: false });
    }
  });
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
  const items = rebuiltItems(folder.folded, toVersion, toVietnamIso(new Date(now())));
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

  // 4. Compare, per partition, what the handlers would read from each version.
  const partitions = [...new Set([...folder.folded.keys(), ...livePartitions])].sort();
  const differingItems = async (partition: string) => {
    const [live, fresh] = await Promise.all([
      store.readPartition(partition, fromVersion),
      store.readPartition(partition, toVersion),
    ]);
    return compareItems(live, fresh, folder.firstsCounters.get(partition) ?? new Set());
  };
  let compared = 0;
  const differing = (
    await mapLimit(partitions, READ_CONCURRENCY, async (partition) => {
      const first = await differingItems(partition);
      compared++;
      if (compared % every === 0) report({ phase: "compare", compared, of: partitions.length });
      return first.length === 0 ? undefined : partition;
    })
  ).filter((p) => p !== undefined);
  if (differing.length > 0) await sleep(options.recheckAfterMs ?? 1_000);
  const stillDiffering = (
    await mapLimit(differing, READ_CONCURRENCY, async (partition) => {
      const items = await differingItems(partition);
      return items.length === 0 ? undefined : { partition, items };
    })
  ).filter((d) => d !== undefined);
  // 5. Only when something differs: which of those partitions' events have a claim that was not applied
  //    yet (a second Scan of the ledger, keeping only what touches a differing partition).
  const unsettled =
    stillDiffering.length === 0
      ? new Map<string, number>()
      : await unsettledEvents(
          store,
          ddb,
          new Set(stillDiffering.map((d) => d.partition)),
          projections,
          segments,
        );
  const differences: PartitionDifference[] = stillDiffering.map(({ partition, items }) => ({
    partition,
    differingItems: items.length,
    items: items.slice(0, MAX_LISTED),
    unsettledEvents: unsettled.get(partition) ?? 0,
  }));
  report({ phase: "compare", compared, of: partitions.length });

  return {
    scanned,
    events,
    partitions: partitions.length,
    fromVersion,
    toVersion,
    itemsDeleted: deleted,
    itemsWritten: written,
    unsettledEvents: differences.reduce((sum, d) => sum + d.unsettledEvents, 0),
    equalsLive: differences.length === 0,
    differingPartitions: differences.length,
    differences: differences.slice(0, MAX_LISTED_PARTITIONS),
  };
};

export interface DeleteVersionReport {
  /** Claims found applied on an item of the version (an `a#` marker) whose record was then written. */
  readonly claimsRecorded: number;
  readonly itemsDeleted: number;
}

/**
 * Deletes the items of a projection version that is no longer live (after a switch, once no
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
      ExpressionAttributeValues: { ":v": itemPrefix(version) },
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
            sk: claimRecordSk({ id: claimId, sk: String(item.sk) }),
            itemSk: item.sk,
            events: 0,
            appliedAt: now(),
            // The marker names the events the claim left out, if any: the record must say it too.
            ...(typeof value === "string" && value.startsWith("x:") ? { excluded: value } : {}),
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
