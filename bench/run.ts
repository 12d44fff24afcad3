/**
 * `npm run bench`: the September spike through the local pipeline, side by side with the consumer AWS
 * documents (Powertools batch + idempotency) and a stronger per-event variant of it, on the same
 * emulators, the same machine, the same events; then a trickle of small batches, and with `--long` a
 * long-lived run of 100,000 events.
 *
 *   npm run bench -- --events 6000 --repeats 3 --seed 42
 *   npm run bench -- --long                 (only the long-lived run: 100,000 events, metered)
 *   npm run bench -- --mixed-only           (only the mixed and national workloads)
 *   npm run bench -- --skip-mixed           (everything but the mixed and national workloads)
 *   npm run bench -- --payments-only --events 2000 --repeats 1
 *                                           (only the bank-transfer notifications; --events counts them)
 *   npm run bench -- --skip-payments        (everything but the bank-transfer notifications)
 *
 * Progress goes to stderr; the last line on stdout is one JSON object with the figures (docs/benchmark.md
 * says how each is measured). Every run's projection is compared with a fold of the distinct events, by
 * campaign, day and commune; on any difference the benchmark stops with exit code 1 and prints no figures.
 */

import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BatchWriteCommand, DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { pledgeFromForm } from "#domain/donation.ts";
import { campaignPartition } from "#domain/projections/campaign-pledges.ts";
import type { DonationPledged } from "#events/donation.ts";
import type { DomainEvent } from "#events/index.ts";
import { prng } from "#local/chaos/random.ts";
import {
  ensureResources,
  freePort,
  localConfig,
  localCredentials,
  localRegion,
  startDynamo,
  startSqs,
} from "#local/emulators.ts";
import { startPipeline } from "#local/pipeline.ts";
import { type SqsHandler, startPoller } from "#local/poller.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { type Clients, createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { attachMeter, itemSize, type Meter, type Reading } from "#storage/meter.ts";
import { appliedMarker, fenceMarker } from "#storage/store.ts";
import { baselineConsumer, baselineView, createBaselineTables } from "./baseline.ts";
import { assertMatches, MismatchError, truthOf } from "./check.ts";
import { type Harness, mixedAndNational } from "./mixed.ts";
import { payments } from "./payments.ts";
import { percentile, round, type Spread, spreadOf } from "./stats.ts";
import { septemberSpike, type Workload } from "./workload.ts";

const { values } = parseArgs({
  options: {
    // No default here: with --payments-only, --events counts notifications (20,000 unless given).
    events: { type: "string" },
    seed: { type: "string", default: "42" },
    concurrency: { type: "string", default: "4" },
    "batch-size": { type: "string", default: "100" },
    repeats: { type: "string", default: "3" },
    "warmup-events": { type: "string", default: "2000" },
    "trickle-events": { type: "string", default: "2000" },
    "prime-events": { type: "string", default: "10000" },
    long: { type: "boolean", default: false },
    "long-events": { type: "string", default: "100000" },
    "mixed-events": { type: "string", default: "1500" },
    "national-events": { type: "string", default: "3600" },
    "mixed-only": { type: "boolean", default: false },
    "skip-mixed": { type: "boolean", default: false },
    "payments-events": { type: "string" },
    "payments-repeats": { type: "string" },
    "payments-metered-events": { type: "string", default: "5000" },
    "payments-only": { type: "boolean", default: false },
    "skip-payments": { type: "boolean", default: false },
  },
});
const wholeNumber = (name: string, min: number, fallback?: string): number => {
  const n = Number(values[name as keyof typeof values] ?? fallback);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number of at least ${min}`);
  return n;
};
const events = wholeNumber("events", 100, "6000");
const seed = wholeNumber("seed", 0);
const concurrency = wholeNumber("concurrency", 1);
const batchSize = wholeNumber("batch-size", 1);
const repeats = wholeNumber("repeats", 1);
const warmupEvents = wholeNumber("warmup-events", 100);
const trickleEvents = wholeNumber("trickle-events", 100);
const primeEvents = wholeNumber("prime-events", 100);
const longEvents = wholeNumber("long-events", 10_000);
const mixedEvents = wholeNumber("mixed-events", 100);
const nationalEvents = wholeNumber("national-events", 100);
const paymentsEvents = wholeNumber(
  "payments-events",
  100,
  values["payments-only"] && values.events !== undefined ? values.events : "20000",
);
// The full run drains the 20,000 notifications once per side timed (plus once metered) to stay within a
// few minutes; --payments-only takes --repeats as the other workloads do.
const paymentsMetered = Math.min(paymentsEvents, wholeNumber("payments-metered-events", 100));
const paymentsRepeats = wholeNumber("payments-repeats", 1, values["payments-only"] ? values.repeats : "1");

/** Our pipeline as the drains run it, adding each event to `seen` once it is visible in the projection. */
const startCounting = (
  config: PipelineOptions["config"],
  clients: PipelineOptions["clients"],
  seen: Set<string>,
  size = batchSize,
) =>
  startPipeline({
    config,
    clients,
    batchSize: size,
    batchWindowMs: 100,
    concurrency,
    hooks: {
      onApplied: (ids) => {
        for (const id of ids) seen.add(id);
      },
    },
  });
type PipelineOptions = Parameters<typeof startPipeline>[0];

const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const dynamo = await startDynamo(await freePort());
const sqsServer = await startSqs(await freePort());
const sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;
let runs = 0;

/** Fresh tables and queues for one run, so runs cannot see each other's items. */
const freshConfig = async (): Promise<Config> => {
  const resources = await ensureResources(
    dynamo.endpoint,
    sqsEndpoint,
    // Short, so that a message sent round again (a young claim met by a resubmission) comes back within
    // the run; far longer than any invocation here takes.
    { visibilityTimeoutSeconds: 10, maxReceiveCount: 5 },
    `bench${++runs}`,
  );
  return localConfig({ ...resources, dynamoEndpoint: dynamo.endpoint, sqsEndpoint });
};

const sqs = new SQSClient({
  endpoint: sqsEndpoint,
  region: localRegion,
  credentials: localCredentials,
  useQueueUrlAsEndpoint: false,
});
const dynamoClient = () =>
  new DynamoDBClient({ endpoint: dynamo.endpoint, region: localRegion, credentials: localCredentials });

const noReading = (): Reading => ({
  computed: { write: 0, read: 0 },
  reported: { write: 0, read: 0 },
  estimated: 0,
});
/** Timed runs carry no meter: it rewrites every request and would slow each side differently. */
const unmetered: Meter = {
  take: noReading,
  peek: noReading,
  lifetime: () => ({ write: 0, read: 0 }),
  byKind: () => ({}),
};

/** Clients for one run: metered (the capacity pass) or not (the timed pass). */
const clientsFor = (config: Config, metered: boolean): Clients => {
  if (metered) return createClients(config);
  return {
    ddb: DynamoDBDocumentClient.from(dynamoClient(), { marshallOptions: { removeUndefinedValues: true } }),
    sqs: new SQSClient({
      endpoint: sqsEndpoint,
      region: localRegion,
      credentials: localCredentials,
      useQueueUrlAsEndpoint: false,
    }),
    meter: unmetered,
  };
};

/** The events the ingest API would enqueue for the workload's submissions. */
const toEvents = (workload: Workload): DonationPledged[] => {
  const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };
  return workload.submissions.map((form) => pledgeFromForm(form, clock));
};

const prefill = async (queueUrl: string, queued: readonly DomainEvent[]) => {
  const batches: DomainEvent[][] = [];
  for (let i = 0; i < queued.length; i += 10) batches.push(queued.slice(i, i + 10));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < batches.length) {
        const batch = batches[next++] ?? [];
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: batch.map((e, i) => ({ Id: String(i), MessageBody: JSON.stringify(e) })),
          }),
        );
      }
    }),
  );
};

/** Waits until `done()` or the deadline, printing progress every 5 s. */
const until = async (label: string, done: () => boolean, progress: () => string, minutes = 30) => {
  const deadline = Date.now() + minutes * 60_000;
  let last = Date.now();
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`${label}: not done within ${minutes} minutes (${progress()})`);
    await sleep(10);
    if (Date.now() - last > 5_000) {
      say(`${label}: ${progress()}`);
      last = Date.now();
    }
  }
};

interface RunResult {
  readonly eventsPerSecond: number;
  readonly units?: Reading;
}

const perEvent = (reading: Reading | undefined, unique: number) => ({
  writeUnitsPerEvent: round((reading?.computed.write ?? 0) / unique, 3),
  readUnitsPerEvent: round((reading?.computed.read ?? 0) / unique, 3),
});

/** Our projector draining a pre-filled queue. */
const drainOurs = async (label: string, workload: Workload, metered: boolean): Promise<RunResult> => {
  const config = await freshConfig();
  const clients = clientsFor(config, metered);
  const queued = toEvents(workload);
  await prefill(config.queueUrl, queued);
  clients.meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const pipeline = await startCounting(config, clients, seen);
  await until(
    label,
    () => seen.size >= workload.unique,
    () => `${seen.size}/${workload.unique} projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  // Messages sent round again (resubmissions that met a young claim) cost units: the capacity pass
  // waits for them. Every distinct event is counted already, so the timed pass need not.
  if (metered) while ((await pipeline.backlog()) > 0) await sleep(50);
  await pipeline.stop();
  const units = clients.meter.take();
  if (metered) say(`${label}: ${JSON.stringify(units)}`);
  const view = await readCampaignView(pipeline.store, workload.campaignId);
  assertMatches(label, view, truthOf(queued, workload.campaignId));
  return { eventsPerSecond: workload.unique / seconds, ...(metered ? { units } : {}) };
};

/** A Powertools consumer draining the same pre-filled queue through the same event source. */
const drainBaseline = async (
  label: string,
  workload: Workload,
  total: boolean,
  metered: boolean,
): Promise<RunResult> => {
  const config = await freshConfig();
  const client = dynamoClient();
  const meter = metered ? attachMeter(client) : unmetered;
  const tables = await createBaselineTables(client, `bench${runs}`);
  const queued = toEvents(workload);
  await prefill(config.queueUrl, queued);
  meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const poller = startPoller({
    sqs,
    queueUrl: config.queueUrl,
    queueArn: `arn:aws:sqs:us-east-1:000000000000:${label}`,
    handler: baselineConsumer(client, tables, (id) => seen.add(id), { total }) as SqsHandler,
    batchSize,
    batchWindowMs: 100,
    concurrency,
  });
  await until(
    label,
    () => seen.size >= workload.unique,
    () => `${seen.size}/${workload.unique} projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  await poller.stop();
  const units = meter.take();
  if (metered) say(`${label}: ${JSON.stringify(units)}`);
  const view = await baselineView(client, tables.projectionTable, workload.campaignId);
  client.destroy();
  assertMatches(label, view, truthOf(queued, workload.campaignId));
  return { eventsPerSecond: workload.unique / seconds, ...(metered ? { units } : {}) };
};

/**
 * What DynamoDB Local takes at best here: the distinct events as ledger rows (the event as JSON text and
 * its content hash, as the ledger holds them), plain BatchWriteItem puts, 25 a call, 16 in flight.
 */
const rawFloor = async (workload: Workload): Promise<RunResult> => {
  const config = await freshConfig();
  const client = dynamoClient();
  const ddb = DynamoDBDocumentClient.from(client);
  const queued = [...new Map(toEvents(workload).map((e) => [e.eventId, e])).values()];
  const rows = queued.map((e) => ({
    PutRequest: { Item: { eventId: e.eventId, contentHash: e.source.contentHash, event: JSON.stringify(e) } },
  }));
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < rows.length) {
        let items = rows.slice(next, next + 25);
        next += 25;
        while (items.length > 0) {
          const out = await ddb.send(
            new BatchWriteCommand({ RequestItems: { [config.ledgerTable]: items } }),
          );
          items = (out.UnprocessedItems?.[config.ledgerTable] ?? []) as typeof items;
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  client.destroy();
  return { eventsPerSecond: rows.length / seconds };
};

/**
 * The whole path through the HTTP API, 32 clients posting at once: ingest latency (request sent to
 * answer read), lag from each 202 to the event being visible, and (metered pass) units per event.
 */
const throughHttp = async (workload: Workload, metered: boolean) => {
  const config = await freshConfig();
  const clients = clientsFor(config, metered);
  const acceptedAt = new Map<string, number>();
  const lags: number[] = [];
  const ingest: number[] = [];
  const visible = new Set<string>();
  const pipeline = await startPipeline({
    config,
    clients,
    batchSize,
    batchWindowMs: 100,
    concurrency,
    httpPort: 0,
    hooks: {
      onApplied: (ids, at) => {
        for (const id of ids) {
          visible.add(id);
          const accepted = acceptedAt.get(id);
          if (accepted !== undefined) lags.push(at - accepted);
        }
      },
    },
  });
  clients.meter.take();
  const started = Date.now();
  let next = 0;
  const failures: string[] = [];
  const post = async () => {
    while (next < workload.submissions.length) {
      const form = workload.submissions[next++];
      if (!form?.eventId) continue;
      const sent = performance.now();
      const response = await fetch(`${pipeline.url}/v1/donations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(form),
      });
      const text = await response.text();
      ingest.push(performance.now() - sent);
      if (response.status !== 202) failures.push(`${response.status} ${text.slice(0, 200)}`);
      else if (!acceptedAt.has(form.eventId)) acceptedAt.set(form.eventId, Date.now());
    }
  };
  const posting = Promise.all(Array.from({ length: 32 }, post));
  await until(
    "http",
    () => visible.size >= workload.unique || (next >= workload.submissions.length && failures.length > 0),
    () => `${next}/${workload.submissions.length} posted, ${visible.size} visible`,
  );
  await posting;
  const seconds = (Date.now() - started) / 1000;
  if (metered) while ((await pipeline.backlog()) > 0) await sleep(50);
  await pipeline.stop();
  if (failures.length > 0)
    throw new MismatchError(`http: ${failures.length} submissions were not accepted, e.g. ${failures[0]}`);
  const units = clients.meter.take();
  const view = await readCampaignView(pipeline.store, workload.campaignId);
  assertMatches(metered ? "http (metered)" : "http", view, truthOf(toEvents(workload), workload.campaignId));
  lags.sort((a, b) => a - b);
  ingest.sort((a, b) => a - b);
  return {
    endToEndEventsPerSecond: Math.round(workload.unique / seconds),
    ...perEvent(units, workload.unique),
    estimated: units.estimated,
    lagP50Ms: Math.round(percentile(lags, 50)),
    lagP99Ms: Math.round(percentile(lags, 99)),
    ingestP50Ms: round(percentile(ingest, 50), 1),
    ingestP99Ms: round(percentile(ingest, 99), 1),
    ingestRequestsPerSecond: Math.round(workload.submissions.length / seconds),
  };
};

/** Puts messages on the queue in groups and waits for each group to be consumed before the next. */
const dribble = async (
  label: string,
  config: Config,
  pipeline: { backlog(): Promise<number> },
  groups: readonly DonationPledged[][],
) => {
  let done = 0;
  let last = Date.now();
  for (const group of groups) {
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: config.queueUrl,
        Entries: group.map((e, i) => ({ Id: String(i), MessageBody: JSON.stringify(e) })),
      }),
    );
    while ((await pipeline.backlog()) > 0) await sleep(2);
    done += group.length;
    if (Date.now() - last > 5_000) {
      say(`${label}: ${done} messages consumed`);
      last = Date.now();
    }
  }
};

/**
 * Low traffic, most of the year: messages arrive a few at a time and each invocation gets 1-5 of them
 * (the poller takes at most 5, and the next group is sent only once the last is consumed). The campaign
 * is first filled with a whole September of other events (`primer`, drained in batches of 100 by
 * another pipeline, not measured), so its projection items have the size they have after a busy month,
 * not the size of an empty campaign. Metered.
 */
const trickle = async (primer: Workload, workload: Workload) => {
  if (primer.campaignId !== workload.campaignId) throw new Error("trickle: primer of another campaign");
  const config = await freshConfig();
  const clients = createClients(config);
  const primed = toEvents(primer);
  const dribbled = toEvents(workload);
  const primedIds = new Set<string>();
  const priming = await startCounting(config, clients, primedIds, 100);
  await prefill(config.queueUrl, primed);
  await until(
    "trickle priming",
    () => primedIds.size >= primer.unique,
    () => `${primedIds.size}/${primer.unique} projected`,
  );
  while ((await priming.backlog()) > 0) await sleep(50);
  await priming.stop();
  const before = await campaignItemSizes(config, workload.campaignId);

  const rand = prng(seed + 7);
  const groups: DonationPledged[][] = [];
  for (let i = 0; i < dribbled.length; ) {
    const size = 1 + Math.floor(rand() * 5);
    groups.push(dribbled.slice(i, i + size));
    i += size;
  }
  const pipeline = await startPipeline({ config, clients, batchSize: 5, batchWindowMs: 20, concurrency: 1 });
  clients.meter.take();
  await dribble("trickle", config, pipeline, groups);
  await pipeline.stop();
  const units = clients.meter.take();
  const after = await campaignItemSizes(config, workload.campaignId);
  const view = await readCampaignView(pipeline.store, workload.campaignId);
  assertMatches("trickle", view, truthOf([...primed, ...dribbled], workload.campaignId));
  return {
    events: workload.unique,
    messages: dribbled.length,
    messagesPerBatch: round(dribbled.length / groups.length, 2),
    ...perEvent(units, workload.unique),
    estimated: units.estimated,
    largestItemBytesBefore: before.largestItemBytes,
    largestItemBytesAfter: after.largestItemBytes,
  };
};

/**
 * Sizes of every projection item of a campaign (how big the items that each claim rewrites grow), and
 * how many claim markers they carry (attributes named like the store's applied and fence markers).
 */
const campaignItemSizes = async (config: Config, campaignId: string) => {
  const client = dynamoClient();
  const ddb = DynamoDBDocumentClient.from(client);
  const sizes: number[] = [];
  const markerPrefixes = [appliedMarker(""), fenceMarker("")];
  let markers = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: config.projectionTable,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": campaignPartition(campaignId) },
        ExclusiveStartKey,
      }),
    );
    for (const item of out.Items ?? []) {
      sizes.push(itemSize(item));
      markers += Object.keys(item).filter((name) => markerPrefixes.some((p) => name.startsWith(p))).length;
    }
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  client.destroy();
  return { items: sizes.length, largestItemBytes: Math.max(0, ...sizes), markers };
};

/**
 * One long-lived pipeline (one projector process) through `--long-events` events, in windows of a
 * tenth: units per event of each window and the largest projection item after it, so a build-up of
 * claim markers would show as items and units growing over time.
 */
const longRun = async () => {
  const workload = septemberSpike({ events: longEvents, seed: seed + 3 });
  const config = await freshConfig();
  const clients = createClients(config);
  const queued = toEvents(workload);
  const seen = new Set<string>();
  const pipeline = await startCounting(config, clients, seen);
  clients.meter.take();
  const windows = [];
  const step = Math.ceil(queued.length / 10);
  const ids = new Set<string>();
  for (let from = 0; from < queued.length; from += step) {
    const part = queued.slice(from, from + step);
    const before = ids.size;
    for (const e of part) ids.add(e.eventId);
    await prefill(config.queueUrl, part);
    await until(
      "long",
      () => seen.size >= ids.size,
      () => `${seen.size}/${ids.size} projected`,
    );
    while ((await pipeline.backlog()) > 0) await sleep(50);
    const units = clients.meter.take();
    const sizes = await campaignItemSizes(config, workload.campaignId);
    const window = {
      events: ids.size,
      ...perEvent(units, ids.size - before),
      estimated: units.estimated,
      ...sizes,
    };
    say(`long: ${JSON.stringify(window)}`);
    windows.push(window);
  }
  await pipeline.stop();
  const view = await readCampaignView(pipeline.store, workload.campaignId);
  assertMatches("long", view, truthOf(queued, workload.campaignId));
  return { events: workload.unique, windows };
};

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? "unknown",
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};

/** What the mixed and payments workloads borrow from this run: its emulators and helpers. */
const harness = (): Harness => ({
  sqs,
  batchSize,
  concurrency,
  freshConfig,
  tablePrefix: () => `bench${runs}`,
  clientsFor,
  dynamoClient,
  unmetered,
  prefill,
  until,
  startCounting,
  say,
});

/** The mixed and national workloads (bench/mixed.ts) on this run's emulators and helpers. */
const mixedRuns = () =>
  mixedAndNational(harness(), {
    seed,
    repeats,
    mixedEvents,
    nationalEvents,
    warmupEvents: Math.min(warmupEvents, 500),
  });

/** `--mixed-only`: only the mixed and national workloads. */
const mixedOnly = async () => {
  const { mixed, national } = await mixedRuns();
  console.log(JSON.stringify({ mixed, national, machine, seed }));
};

/** The bank-transfer notifications (bench/payments.ts) on this run's emulators and helpers. */
const paymentRuns = () =>
  payments(harness(), {
    seed,
    repeats: paymentsRepeats,
    notifications: paymentsEvents,
    meteredNotifications: paymentsMetered,
    // In the full run the spike and the mixed drains have warmed the JVM already.
    warmupNotifications: values["payments-only"] ? Math.min(warmupEvents, 500) : 0,
  });

/** `--payments-only`: only the bank-transfer notifications. */
const paymentsOnly = async () => {
  console.log(JSON.stringify({ payments: await paymentRuns(), machine, seed }));
};

/** `--long`: only the long-lived run, which takes minutes of its own. */
const longOnly = async () => {
  say(
    `long: ${longEvents} events through one long-lived pipeline, batch ${batchSize}, ${concurrency} concurrent`,
  );
  const long = await longRun();
  console.log(JSON.stringify({ long, machine, seed }));
};

/** The default run: the spike timed and metered, HTTP, trickle. */
const spikeAndTrickle = async () => {
  say(
    `workload: ${events} donations, seed ${seed}, batch ${batchSize}, ${concurrency} concurrent invocations, ` +
      `${repeats} timed repeats`,
  );
  const spread = septemberSpike({ events, seed });
  const hot = septemberSpike({ events, seed, hotKey: true });
  type Side = "rawFloor" | "ours" | "hotKey" | "baseline" | "strongBaseline";
  const timed = (side: Side, workload: Workload): Promise<RunResult> => {
    switch (side) {
      case "rawFloor":
        return rawFloor(workload);
      case "ours":
        return drainOurs("ours", workload, false);
      case "hotKey":
        return drainOurs("hot key", workload === spread ? hot : workload, false);
      case "baseline":
        return drainBaseline("baseline", workload, true, false);
      case "strongBaseline":
        return drainBaseline("strong baseline", workload, false, false);
    }
  };
  const sides: Side[] = ["rawFloor", "ours", "hotKey", "baseline", "strongBaseline"];

  // Warm the JVM and Node's JIT once, on other events, for every side alike; these figures are dropped.
  const warm = septemberSpike({ events: warmupEvents, seed: seed + 1 });
  say(`warm-up: every side once on ${warmupEvents} events`);
  for (const side of sides) await timed(side, warm);

  // Timed repeats, unmetered, in alternating order (forward, backward, forward…), so that no side always
  // runs before another on a warmer JVM.
  const rates: Record<Side, number[]> = {
    rawFloor: [],
    ours: [],
    hotKey: [],
    baseline: [],
    strongBaseline: [],
  };
  for (let r = 0; r < repeats; r++) {
    const order = r % 2 === 0 ? sides : [...sides].reverse();
    for (const side of order) {
      const { eventsPerSecond } = await timed(side, spread);
      rates[side].push(eventsPerSecond);
      say(`repeat ${r + 1}/${repeats}: ${side} ${Math.round(eventsPerSecond)} events/s`);
    }
  }

  // Capacity passes: the same drains with the meter on, not timed.
  say("capacity: the drains again, metered");
  const oursUnits = (await drainOurs("ours (metered)", spread, true)).units;
  const hotUnits = (await drainOurs("hot key (metered)", hot, true)).units;
  const baselineUnits = (await drainBaseline("baseline (metered)", spread, true, true)).units;
  const strongUnits = (await drainBaseline("strong baseline (metered)", spread, false, true)).units;

  say("http: timed pass, then metered pass");
  const http = await throughHttp(spread, false);
  const httpUnits = await throughHttp(spread, true);

  const { mixed, national } = values["skip-mixed"] ? {} : await mixedRuns();
  const paid = values["skip-payments"] ? undefined : await paymentRuns();

  say(`trickle: ${trickleEvents} events in batches of 1-5, after a September of ${primeEvents}`);
  const trickled = await trickle(
    septemberSpike({ events: primeEvents, seed: seed + 5 }),
    septemberSpike({ events: trickleEvents, seed: seed + 6 }),
  );

  const med = (side: Side): Spread => spreadOf(rates[side], 0);
  const ratios = (side: Side) =>
    spreadOf(
      rates.ours.map((o, i) => o / (rates[side][i] ?? Number.NaN)),
      2,
    );
  const ours = perEvent(oursUnits, spread.unique);
  const baseline = perEvent(baselineUnits, spread.unique);
  const strong = perEvent(strongUnits, spread.unique);
  say(
    `ours ${med("ours").median}/s vs baseline ${med("baseline").median}/s (${round(med("ours").median / med("baseline").median, 1)}x), ` +
      `vs strong baseline ${med("strongBaseline").median}/s; write units per event, drain against drain: ` +
      `ours ${ours.writeUnitsPerEvent}, baseline ${baseline.writeUnitsPerEvent}, strong ${strong.writeUnitsPerEvent}; ` +
      `trickle ${trickled.writeUnitsPerEvent}`,
  );
  const estimated =
    (oursUnits?.estimated ?? 0) +
    (hotUnits?.estimated ?? 0) +
    (baselineUnits?.estimated ?? 0) +
    (strongUnits?.estimated ?? 0) +
    httpUnits.estimated +
    trickled.estimated;
  console.log(
    JSON.stringify({
      events,
      repeats,
      eventsPerSecond: med("ours").median,
      writeUnitsPerEvent: httpUnits.writeUnitsPerEvent,
      readUnitsPerEvent: httpUnits.readUnitsPerEvent,
      lagP50Ms: http.lagP50Ms,
      lagP99Ms: http.lagP99Ms,
      ingestP50Ms: http.ingestP50Ms,
      ingestP99Ms: http.ingestP99Ms,
      ingestRequestsPerSecond: http.ingestRequestsPerSecond,
      baseline: { eventsPerSecond: med("baseline").median, ...baseline },
      strongBaseline: { eventsPerSecond: med("strongBaseline").median, ...strong },
      hotKey: { eventsPerSecond: med("hotKey").median, ...perEvent(hotUnits, hot.unique) },
      ratio: round(med("ours").median / med("baseline").median, 2),
      strongRatio: round(med("ours").median / med("strongBaseline").median, 2),
      hotKeyRatio: round(med("hotKey").median / med("ours").median, 2),
      projectorWriteUnitsPerEvent: ours.writeUnitsPerEvent,
      projectorReadUnitsPerEvent: ours.readUnitsPerEvent,
      endToEndEventsPerSecond: http.endToEndEventsPerSecond,
      rawFloorEventsPerSecond: med("rawFloor").median,
      spread: {
        ours: med("ours"),
        hotKey: med("hotKey"),
        baseline: med("baseline"),
        strongBaseline: med("strongBaseline"),
        rawFloor: med("rawFloor"),
        ratio: ratios("baseline"),
        strongRatio: ratios("strongBaseline"),
      },
      trickle: trickled,
      mixed,
      national,
      payments: paid,
      meterEstimatedCalls: estimated,
      machine,
      seed,
    }),
  );
};

try {
  await (values.long
    ? longOnly()
    : values["mixed-only"]
      ? mixedOnly()
      : values["payments-only"]
        ? paymentsOnly()
        : spikeAndTrickle());
} catch (error) {
  if (!(error instanceof MismatchError)) throw error;
  say(`FAILED: ${error.message}`);
  process.exitCode = 1;
} finally {
  sqs.destroy();
  await sqsServer.stop();
  await dynamo.stop();
}
