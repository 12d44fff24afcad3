import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Projection } from "#domain/projections/contract.ts";
import { projections } from "#domain/projections/index.ts";
import type { DomainEvent } from "#events/index.ts";
import { communesOf2025, type MixedWorkload, septemberMix } from "#local/mixed-events.ts";
import type { Pipeline } from "#local/pipeline.ts";
import { type SqsHandler, startPoller } from "#local/poller.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { attachMeter, itemSize, type KindReading, type Meter, type Reading } from "#storage/meter.ts";
import { createBaselineTables } from "./baseline.ts";
import { assertPartitionsMatch, foldAll } from "./fold.ts";
import { mixedBaselineConsumer, readBaselinePartition } from "./mixed-baseline.ts";
import { round, spreadOf } from "./stats.ts";

/** What bench/run.ts lends the mixed drains: its emulators, fresh resources per run, its queue helpers. */
export interface Harness {
  readonly sqs: SQSClient;
  readonly batchSize: number;
  readonly concurrency: number;
  /** Fresh tables and queue for one run, and a name prefix no other run uses. */
  freshConfig(): Promise<Config>;
  tablePrefix(): string;
  clientsFor(config: Config, metered: boolean): Clients;
  dynamoClient(): DynamoDBClient;
  readonly unmetered: Meter;
  prefill(queueUrl: string, queued: readonly DomainEvent[]): Promise<void>;
  until(label: string, done: () => boolean, progress: () => string): Promise<void>;
  /** Our pipeline, adding each event to `seen` once it is visible in its projections. */
  startCounting(config: Config, clients: Clients, seen: Set<string>): Promise<Pipeline>;
  say(line: string): void;
}

/** What a drain can be asked besides its projections (the payments workload, bench/payments.ts). */
export interface DrainExtras {
  /** The projections the baseline applies (ours: those of `Harness.startCounting`); the registry by default. */
  readonly projections?: readonly Projection[];
  /**
   * Called after the drain with the table where the side records each distinct event once (our ledger,
   * the baseline's idempotency table), to check it; throws a MismatchError on a difference.
   */
  readonly recorded?: (table: string, client: DynamoDBClient) => Promise<void>;
}

export interface Drained {
  readonly eventsPerSecond: number;
  readonly units?: Reading;
  /** Metered drains of ours: where the write units went (see {@link writeUnitsByPart}). */
  readonly byKind?: Record<string, KindReading>;
  /** Metered drains of ours: projection items (not claim records, not member rows) and the largest. */
  readonly items?: { readonly count: number; readonly largestBytes: number };
}

type Truth = ReturnType<typeof foldAll>;
type Side = "ours" | "baseline";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Our projector (every registered projection) draining a queue pre-filled with the workload. */
export const drainOurs = async (
  h: Harness,
  label: string,
  workload: MixedWorkload,
  truth: Truth,
  metered: boolean,
  extras: DrainExtras = {},
): Promise<Drained> => {
  const config = await h.freshConfig();
  const clients = h.clientsFor(config, metered);
  await h.prefill(config.queueUrl, workload.messages);
  clients.meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const pipeline = await h.startCounting(config, clients, seen);
  // The projector's hook names the events a batch newly counted, and leaves out an event that moves only
  // distinct counts (an assessment) or whose first try was sent round again: those are done when the
  // queue is empty, since a message leaves the queue only once its event is settled in every projection.
  let drained = false;
  const watching = (async () => {
    while (!drained && seen.size < workload.unique) {
      await sleep(100);
      drained = (await pipeline.backlog()) === 0;
    }
  })();
  await h.until(
    label,
    () => seen.size >= workload.unique || drained,
    () => `${seen.size}/${workload.unique} reported projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  drained = true;
  await watching;
  if (metered) while ((await pipeline.backlog()) > 0) await sleep(50);
  await pipeline.stop();
  const byKind = clients.meter.byKind();
  const units = clients.meter.take();
  if (metered) h.say(`${label}: ${JSON.stringify(units)}`);
  await assertPartitionsMatch(label, truth, (partition) => pipeline.store.readPartition(partition));
  if (extras.recorded) {
    const client = h.dynamoClient();
    await extras.recorded(config.ledgerTable, client).finally(() => client.destroy());
  }
  return {
    eventsPerSecond: workload.unique / seconds,
    ...(metered
      ? { units, byKind: renameTables(byKind, config), items: await projectionItems(h, config) }
      : {}),
  };
};

/** The meter's kinds with this run's table names replaced by their role (`ledger`, `projections`). */
const renameTables = (byKind: Record<string, KindReading>, config: Config) =>
  Object.fromEntries(
    Object.entries(byKind).map(([kind, reading]) => [
      kind.replace(config.ledgerTable, "ledger").replace(config.projectionTable, "projections"),
      reading,
    ]),
  );

/**
 * Where our write units per event went: the ledger's rows (new events, and refused inserts of events sent
 * twice), the audit index (staff events' entries in the ledger's index by unit and time), member rows
 * (distinct people, one per event that names members), projection items by family (the partition key's
 * prefix: `cp` campaigns, `sup` support, `spo` sponsorships, `asm` assessments, `fund` fund ledger), and
 * the rest (batch records, claims). The first three are paid per event whatever the projections do: their
 * sum is the floor no layout of projection items can go under.
 */
export const writeUnitsByPart = (byKind: Record<string, KindReading>, events: number) => {
  const per = (units: number) => round(units / events, 3);
  let ledgerRows = 0;
  let auditIndex = 0;
  let memberRows = 0;
  let rest = 0;
  const items: Record<string, number> = {};
  for (const [kind, { write }] of Object.entries(byKind)) {
    const [command, table, prefix = "-"] = kind.split(" ");
    // An index's kind is `<table> index`.
    if (command === "ledger" && table === "index") auditIndex += write;
    else if (table === "ledger") ledgerRows += write;
    else if (table === "projections" && prefix === "m") memberRows += write;
    else if (table === "projections" && command === "UpdateItem")
      items[prefix] = (items[prefix] ?? 0) + write;
    else rest += write;
  }
  return {
    ledgerRows: per(ledgerRows),
    auditIndex: per(auditIndex),
    memberRows: per(memberRows),
    projectionItems: Object.fromEntries(
      Object.entries(items)
        .sort()
        .map(([k, v]) => [k, per(v)]),
    ),
    rest: per(rest),
    floor: per(ledgerRows + auditIndex + memberRows),
  };
};

/**
 * How many projection items our drain left and the largest one's size, by a Scan after the run (the
 * engine's layout: a projection item's `sk` is `v<version>#<item>#s<shard>`; claim records and member rows
 * are not projection items). Items must stay small however many communes the events come from.
 */
const projectionItems = async (h: Harness, config: Config) => {
  const client = h.dynamoClient();
  const ddb = DynamoDBDocumentClient.from(client);
  let count = 0;
  let largestBytes = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(new ScanCommand({ TableName: config.projectionTable, ExclusiveStartKey }));
    for (const item of out.Items ?? []) {
      if (!/^v\d+#/.test(String(item.sk))) continue;
      count++;
      largestBytes = Math.max(largestBytes, itemSize(item));
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return { count, largestBytes };
};

/** The Powertools consumer doing the same projections, on the same events, through the same event source. */
export const drainBaseline = async (
  h: Harness,
  label: string,
  workload: MixedWorkload,
  truth: Truth,
  metered: boolean,
  extras: DrainExtras = {},
): Promise<Drained> => {
  const config = await h.freshConfig();
  const client = h.dynamoClient();
  const meter = metered ? attachMeter(client) : h.unmetered;
  const tables = await createBaselineTables(client, h.tablePrefix());
  await h.prefill(config.queueUrl, workload.messages);
  meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const poller = startPoller({
    sqs: h.sqs,
    queueUrl: config.queueUrl,
    queueArn: `arn:aws:sqs:us-east-1:000000000000:${label.replaceAll(/\W/g, "-")}`,
    handler: mixedBaselineConsumer(client, tables, extras.projections ?? projections, (id) =>
      seen.add(id),
    ) as SqsHandler,
    batchSize: h.batchSize,
    batchWindowMs: 100,
    concurrency: h.concurrency,
  });
  await h.until(
    label,
    () => seen.size >= workload.unique,
    () => `${seen.size}/${workload.unique} projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  await poller.stop();
  const units = meter.take();
  if (metered) h.say(`${label}: ${JSON.stringify(units)}`);
  await assertPartitionsMatch(label, truth, (partition) =>
    readBaselinePartition(client, tables.projectionTable, partition),
  );
  try {
    await extras.recorded?.(tables.idempotencyTable, client);
  } finally {
    client.destroy();
  }
  return { eventsPerSecond: workload.unique / seconds, ...(metered ? { units } : {}) };
};

export const perEvent = (reading: Reading | undefined, unique: number) => ({
  writeUnitsPerEvent: round((reading?.computed.write ?? 0) / unique, 3),
  readUnitsPerEvent: round((reading?.computed.read ?? 0) / unique, 3),
});

/** The targets of issue 10 for both workloads: what the figures are read against, never bent to. */
export const MIXED_TARGETS = { maxWriteUnitsPerEvent: 1.5, minRatio: 5 } as const;

/**
 * One workload through both sides: `repeats` timed drains each, unmetered, in alternating order; then one
 * metered drain each. Every drain's projections are compared with the fold of the distinct events over
 * every registered projection; a difference throws a MismatchError.
 */
const measure = async (h: Harness, name: string, workload: MixedWorkload, repeats: number) => {
  const truth = foldAll(projections, workload.messages);
  const drain = (side: Side, label: string, metered: boolean) =>
    side === "ours"
      ? drainOurs(h, label, workload, truth, metered)
      : drainBaseline(h, label, workload, truth, metered);
  const rates: Record<Side, number[]> = { ours: [], baseline: [] };
  const sides: Side[] = ["ours", "baseline"];
  for (let r = 0; r < repeats; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const { eventsPerSecond } = await drain(side, `${name} ${side}`, false);
      rates[side].push(eventsPerSecond);
      h.say(`${name} repeat ${r + 1}/${repeats}: ${side} ${Math.round(eventsPerSecond)} events/s`);
    }
  }
  const { units: oursUnits, items, byKind } = await drain("ours", `${name} ours (metered)`, true);
  const baselineUnits = (await drain("baseline", `${name} baseline (metered)`, true)).units;
  const ours = spreadOf(rates.ours, 0);
  const baseline = spreadOf(rates.baseline, 0);
  const ratio = round(ours.median / baseline.median, 2);
  const units = perEvent(oursUnits, workload.unique);
  const figures = {
    events: workload.unique,
    messages: workload.messages.length,
    byType: workload.byType,
    communes: new Set(workload.messages.map((e) => e.unitCode)).size,
    partitions: truth.folded.size,
    projectionItems: items?.count ?? 0,
    largestItemBytes: items?.largestBytes ?? 0,
    repeats,
    eventsPerSecond: ours.median,
    ...units,
    writeUnitsByPart: writeUnitsByPart(byKind ?? {}, workload.unique),
    baseline: { eventsPerSecond: baseline.median, ...perEvent(baselineUnits, workload.unique) },
    ratio,
    spread: {
      ours,
      baseline,
      ratio: spreadOf(
        rates.ours.map((o, i) => o / (rates.baseline[i] ?? Number.NaN)),
        2,
      ),
    },
    targetsMet: {
      writeUnitsPerEvent: units.writeUnitsPerEvent <= MIXED_TARGETS.maxWriteUnitsPerEvent,
      ratio: ratio >= MIXED_TARGETS.minRatio,
    },
    meterEstimatedCalls: (oursUnits?.estimated ?? 0) + (baselineUnits?.estimated ?? 0),
  };
  h.say(
    `${name}: ours ${ours.median}/s vs baseline ${baseline.median}/s (${ratio}x); write units per event ` +
      `ours ${units.writeUnitsPerEvent}, baseline ${figures.baseline.writeUnitsPerEvent}`,
  );
  return figures;
};

export interface MixedOptions {
  readonly seed: number;
  readonly repeats: number;
  readonly mixedEvents: number;
  readonly nationalEvents: number;
  readonly warmupEvents: number;
}

/**
 * The mixed workload (a September of one province: Lào Cai's 99 communes of 2025, Zipf-skewed) and the
 * national one (every commune of 2025 in turn, 34 provinces), each against the Powertools consumer doing
 * the same projections. A small mixed warm-up first, for both sides, its figures dropped.
 */
export const mixedAndNational = async (h: Harness, o: MixedOptions) => {
  const province = communesOf2025("15");
  const country = communesOf2025();
  h.say(`mixed warm-up: both sides once on ${o.warmupEvents} events`);
  const warm = septemberMix({
    events: o.warmupEvents,
    seed: o.seed + 11,
    communes: province,
    spread: "zipf",
  });
  const warmTruth = foldAll(projections, warm.messages);
  await drainOurs(h, "mixed warm-up ours", warm, warmTruth, false);
  await drainBaseline(h, "mixed warm-up baseline", warm, warmTruth, false);
  h.say(`mixed: ${o.mixedEvents} events over ${province.length} communes of one province`);
  const mixed = await measure(
    h,
    "mixed",
    septemberMix({ events: o.mixedEvents, seed: o.seed + 12, communes: province, spread: "zipf" }),
    o.repeats,
  );
  h.say(`national: ${o.nationalEvents} events over ${country.length} communes`);
  const national = await measure(
    h,
    "national",
    septemberMix({ events: o.nationalEvents, seed: o.seed + 13, communes: country, spread: "every" }),
    o.repeats,
  );
  return { mixed, national };
};
