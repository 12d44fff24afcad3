/**
 * `npm run bench`: the September spike through the local pipeline, side by side with the consumer AWS
 * documents (Powertools batch + idempotency), on the same emulators, the same machine, the same events.
 *
 *   npm run bench -- --events 50000 --seed 42
 *
 * Progress goes to stderr; the last line on stdout is one JSON object with the figures.
 * Throughput is compared consumer against consumer: each drains the same pre-filled queue through the
 * same local SQS event source. Lag is measured on a separate run through the HTTP API (202 → visible).
 */
import { cpus, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { pledgeFromForm } from "#domain/donation.ts";
import { foldDeltas, mergeDeltas } from "#domain/projection.ts";
import type { DonationPledged } from "#events/donation.ts";
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
import { createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { attachMeter } from "#storage/meter.ts";
import { baselineConsumer, baselineTotal, createBaselineTables } from "./baseline.ts";
import { septemberSpike, type Workload } from "./workload.ts";

const { values } = parseArgs({
  options: {
    events: { type: "string", default: "50000" },
    seed: { type: "string", default: "42" },
    concurrency: { type: "string", default: "4" },
    "batch-size": { type: "string", default: "100" },
  },
});
const events = Number(values.events);
const seed = Number(values.seed);
const concurrency = Number(values.concurrency);
const batchSize = Number(values["batch-size"]);
if (!Number.isSafeInteger(events) || events < 100)
  throw new Error("--events must be a whole number of at least 100");

const say = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
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
    { visibilityTimeoutSeconds: 60, maxReceiveCount: 5 },
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

/** The events the ingest API would enqueue for the workload's submissions. */
const toEvents = (workload: Workload): DonationPledged[] => {
  const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };
  return workload.submissions.map((form) => pledgeFromForm(form, clock));
};

const prefill = async (queueUrl: string, queued: DonationPledged[]) => {
  const batches: DonationPledged[][] = [];
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

/** Waits until `done()` or the deadline, printing progress every 2 s. */
const until = async (label: string, done: () => boolean, progress: () => string, minutes = 30) => {
  const deadline = Date.now() + minutes * 60_000;
  let last = Date.now();
  while (!done()) {
    if (Date.now() > deadline)
      throw new Error(`${label}: not done within ${minutes} minutes (${progress()})`);
    await sleep(20);
    if (Date.now() - last > 2_000) {
      say(`${label}: ${progress()}`);
      last = Date.now();
    }
  }
};

const truthOf = (queued: DonationPledged[], campaignId: string) => {
  const unique = [...new Map(queued.map((e) => [e.eventId, e])).values()];
  const delta = foldDeltas(unique).get(campaignId);
  return mergeDeltas(campaignId, delta ? [delta] : []);
};

/** Our projector draining a pre-filled queue: events/s and capacity units per event. */
const drainOurs = async (label: string, workload: Workload) => {
  const config = await freshConfig();
  const clients = createClients(config);
  const queued = toEvents(workload);
  say(`${label}: queueing ${queued.length} messages (${workload.unique} distinct events)`);
  await prefill(config.queueUrl, queued);
  clients.meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const pipeline = await startPipeline({
    config,
    clients,
    batchSize,
    batchWindowMs: 100,
    concurrency,
    hooks: {
      onApplied: (ids) => {
        for (const id of ids) seen.add(id);
      },
    },
  });
  await until(
    label,
    () => seen.size >= workload.unique,
    () => `${seen.size}/${workload.unique} projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  while ((await pipeline.backlog()) > 0) await sleep(100);
  await pipeline.stop();
  const units = clients.meter.take().computed;
  const view = mergeDeltas(workload.campaignId, await pipeline.store.readCampaignShards(workload.campaignId));
  const exact = JSON.stringify(view) === JSON.stringify(truthOf(queued, workload.campaignId));
  say(
    `${label}: ${workload.unique} events in ${round(seconds, 1)} s; totals ${exact ? "match" : "DO NOT match"} the events`,
  );
  if (!exact) throw new Error(`${label}: the projection does not match the events`);
  return {
    eventsPerSecond: Math.round(workload.unique / seconds),
    writeUnitsPerEvent: round(units.write / workload.unique, 3),
    readUnitsPerEvent: round(units.read / workload.unique, 3),
  };
};

/** The whole path through the HTTP API: lag from each 202 to the event being visible, and units per event. */
const throughHttp = async (workload: Workload) => {
  const config = await freshConfig();
  const clients = createClients(config);
  const acceptedAt = new Map<string, number>();
  const lags: number[] = [];
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
  let failures = 0;
  const post = async () => {
    while (next < workload.submissions.length) {
      const form = workload.submissions[next++];
      if (!form?.eventId) continue;
      const response = await fetch(`${pipeline.url}/v1/donations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(form),
      });
      await response.arrayBuffer();
      if (response.status !== 202) failures++;
      else if (!acceptedAt.has(form.eventId)) acceptedAt.set(form.eventId, Date.now());
    }
  };
  const posting = Promise.all(Array.from({ length: 32 }, post));
  await until(
    "http",
    () => visible.size >= workload.unique,
    () => `${next}/${workload.submissions.length} posted, ${visible.size} visible`,
  );
  await posting;
  const seconds = (Date.now() - started) / 1000;
  await pipeline.stop();
  if (failures > 0) throw new Error(`http: ${failures} submissions were not accepted`);
  const units = clients.meter.take().computed;
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? 0;
  say(`http: ${workload.unique} events end to end in ${round(seconds, 1)} s`);
  return {
    endToEndEventsPerSecond: Math.round(workload.unique / seconds),
    writeUnitsPerEvent: round(units.write / workload.unique, 3),
    readUnitsPerEvent: round(units.read / workload.unique, 3),
    lagP50Ms: pct(50),
    lagP99Ms: pct(99),
  };
};

/** The documented consumer on the same pre-filled queue. */
const drainBaseline = async (workload: Workload) => {
  const config = await freshConfig();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const meter = attachMeter(client);
  const tables = await createBaselineTables(client, `bench${runs}`);
  const queued = toEvents(workload);
  say(`baseline: queueing ${queued.length} messages`);
  await prefill(config.queueUrl, queued);
  meter.take();
  const seen = new Set<string>();
  const started = Date.now();
  const poller = startPoller({
    sqs,
    queueUrl: config.queueUrl,
    queueArn: "arn:aws:sqs:us-east-1:000000000000:baseline",
    handler: baselineConsumer(client, tables, (id) => seen.add(id)) as SqsHandler,
    batchSize,
    batchWindowMs: 100,
    concurrency,
  });
  await until(
    "baseline",
    () => seen.size >= workload.unique,
    () => `${seen.size}/${workload.unique} projected`,
  );
  const seconds = (Date.now() - started) / 1000;
  await poller.stop();
  const units = meter.take().computed;
  const total = await baselineTotal(client, tables.projectionTable, workload.campaignId);
  const truth = truthOf(queued, workload.campaignId).pledged;
  say(
    `baseline: ${workload.unique} events in ${round(seconds, 1)} s; total ${total.count === truth.count ? "matches" : "DOES NOT match"}`,
  );
  return {
    eventsPerSecond: Math.round(workload.unique / seconds),
    writeUnitsPerEvent: round(units.write / workload.unique, 3),
  };
};

/** The store's own limit here: the same events as plain BatchWriteItem puts, 25 a call, 16 in flight. */
const rawFloor = async (workload: Workload) => {
  const config = await freshConfig();
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamo.endpoint, region: localRegion, credentials: localCredentials }),
  );
  const queued = [...new Map(toEvents(workload).map((e) => [e.eventId, e])).values()];
  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < queued.length) {
        const part = queued.slice(next, next + 25);
        next += 25;
        let items = part.map((event) => ({ PutRequest: { Item: { eventId: event.eventId, event } } }));
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
  say(`raw floor: ${queued.length} BatchWriteItem puts in ${round(seconds, 1)} s`);
  return { eventsPerSecond: Math.round(queued.length / seconds) };
};

try {
  say(
    `workload: ${events} donations, seed ${seed}, batch ${batchSize}, ${concurrency} concurrent invocations`,
  );
  const spread = septemberSpike({ events, seed });
  const hot = septemberSpike({ events, seed, hotKey: true });
  const floor = await rawFloor(spread);
  const ours = await drainOurs("ours", spread);
  const hotKey = await drainOurs("hot key", hot);
  const http = await throughHttp(spread);
  const baseline = await drainBaseline(spread);
  say(
    `ours ${ours.eventsPerSecond}/s vs baseline ${baseline.eventsPerSecond}/s: ${round(ours.eventsPerSecond / baseline.eventsPerSecond, 1)}x; ` +
      `hot key at ${round((100 * hotKey.eventsPerSecond) / ours.eventsPerSecond, 0)}% of spread; ` +
      `raw BatchWriteItem floor ${floor.eventsPerSecond}/s (ours at ${round((100 * ours.eventsPerSecond) / floor.eventsPerSecond, 0)}%)`,
  );
  console.log(
    JSON.stringify({
      events,
      eventsPerSecond: ours.eventsPerSecond,
      writeUnitsPerEvent: http.writeUnitsPerEvent,
      readUnitsPerEvent: http.readUnitsPerEvent,
      lagP50Ms: http.lagP50Ms,
      lagP99Ms: http.lagP99Ms,
      baseline,
      hotKey: { eventsPerSecond: hotKey.eventsPerSecond, writeUnitsPerEvent: hotKey.writeUnitsPerEvent },
      ratio: round(ours.eventsPerSecond / baseline.eventsPerSecond, 2),
      hotKeyRatio: round(hotKey.eventsPerSecond / ours.eventsPerSecond, 2),
      projectorWriteUnitsPerEvent: ours.writeUnitsPerEvent,
      endToEndEventsPerSecond: http.endToEndEventsPerSecond,
      rawFloorEventsPerSecond: floor.eventsPerSecond,
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model ?? "unknown",
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
      },
      seed,
    }),
  );
} finally {
  sqs.destroy();
  await sqsServer.stop();
  await dynamo.stop();
}
