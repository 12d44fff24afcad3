import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Projection } from "#domain/projections/contract.ts";
import type { DomainEvent } from "#events/index.ts";
import {
  ensureResources,
  freePort,
  localConfig,
  localCredentials,
  localRegion,
  startDynamo,
  startSqs,
} from "#local/emulators.ts";
import type { Pipeline } from "#local/pipeline.ts";
import { type SqsHandler, startPoller } from "#local/poller.ts";
import { queueDepth } from "#local/queue-depth.ts";
import { createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import type { Log } from "#storage/log.ts";
import type { Reading } from "#storage/meter.ts";
import { createProjector } from "#storage/projector.ts";
import { createStore } from "#storage/store.ts";
import { MismatchError } from "../../bench/check.ts";
import type { Harness } from "../../bench/mixed.ts";
import { payments } from "../../bench/payments.ts";
import { moneyByFund } from "../helpers/money-projection.ts";

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noReading = (): Reading => ({
  computed: { write: 0, read: 0 },
  reported: { write: 0, read: 0 },
  estimated: 0,
});

let stop: () => Promise<void> = async () => undefined;
let dynamoEndpoint = "";
let sqsEndpoint = "";
beforeAll(async () => {
  const dynamo = await startDynamo(await freePort());
  const sqsServer = await startSqs(await freePort());
  dynamoEndpoint = dynamo.endpoint;
  sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;
  stop = async () => {
    await sqsServer.stop();
    await dynamo.stop();
  };
});
afterAll(async () => {
  await stop();
});

/** What bench/run.ts lends the workloads, on this file's emulators, our side folding `ours`. */
const harnessFolding = (ours: readonly Projection[]): Harness => {
  const prefix = `p${randomUUID().slice(0, 8)}`;
  let runs = 0;
  const dynamoClient = () =>
    new DynamoDBClient({ endpoint: dynamoEndpoint, region: localRegion, credentials: localCredentials });
  const freshConfig = async (): Promise<Config> => {
    const resources = await ensureResources(
      dynamoEndpoint,
      sqsEndpoint,
      { visibilityTimeoutSeconds: 5, maxReceiveCount: 5 },
      `${prefix}${++runs}`,
    );
    return localConfig({ ...resources, dynamoEndpoint, sqsEndpoint });
  };
  const sqs = new SQSClient({
    endpoint: sqsEndpoint,
    region: localRegion,
    credentials: localCredentials,
    useQueueUrlAsEndpoint: false,
  });
  return {
    sqs,
    batchSize: 25,
    concurrency: 2,
    freshConfig,
    tablePrefix: () => `${prefix}${runs}`,
    clientsFor: (config) => createClients(config),
    dynamoClient,
    unmetered: {
      take: noReading,
      peek: noReading,
      lifetime: () => ({ write: 0, read: 0 }),
      byKind: () => ({}),
    },
    async prefill(queueUrl, queued: readonly DomainEvent[]) {
      for (let i = 0; i < queued.length; i += 10)
        await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: queued
              .slice(i, i + 10)
              .map((e, j) => ({ Id: String(j), MessageBody: JSON.stringify(e) })),
          }),
        );
    },
    async until(label, done, progress) {
      const deadline = Date.now() + 90_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`${label}: not done (${progress()})`);
        await sleep(20);
      }
    },
    async startCounting(config, clients, seen): Promise<Pipeline> {
      const store = createStore(config, clients);
      const project = createProjector(
        store,
        silent,
        Date.now,
        {
          onApplied: (ids) => {
            for (const id of ids) seen.add(id);
          },
        },
        ours,
      );
      const handler = async (event: Parameters<SqsHandler>[0]) => {
        const out = await project(event.Records.map((r) => ({ messageId: r.messageId, body: r.body })));
        return { batchItemFailures: out.failed.map((itemIdentifier) => ({ itemIdentifier })) };
      };
      const poller = startPoller({
        sqs: clients.sqs,
        queueUrl: config.queueUrl,
        queueArn: `arn:aws:sqs:us-east-1:000000000000:${prefix}`,
        handler: handler as SqsHandler,
        batchSize: 25,
        batchWindowMs: 50,
        concurrency: 2,
      });
      return {
        store,
        async backlog() {
          return queueDepth(clients.sqs, config.queueUrl);
        },
        stop: () => poller.stop(),
      };
    },
    say: () => undefined,
  };
};

describe("the payments benchmark", () => {
  it("given a projection of money events, when both sides drain notifications delivered twice, then each equals the fold and counts units", async () => {
    // Given a projection that moves counters for every notification, on both sides
    const folding = [moneyByFund()];
    // When
    const figures = await payments(harnessFolding(folding), {
      seed: 3,
      repeats: 1,
      notifications: 300,
      meteredNotifications: 200,
      warmupNotifications: 0,
      projections: folding,
    });
    // Then both sides were checked against a fold that moves counters, over every notification
    expect(figures.partitions).toBeGreaterThan(1);
    expect(figures.notifications).toBe(300);
    expect(figures.messages).toBeGreaterThan(300);
    expect(figures.metered.notifications).toBe(200);
    expect(figures.writeUnitsPerNotification).toBeGreaterThan(0);
    expect(figures.baseline.writeUnitsPerNotification).toBeGreaterThan(0);
    // The stand-in stays out of the registry that the benchmark folds by default.
    const { projections } = await import("#domain/projections/index.ts");
    expect(projections.map((p) => p.name)).not.toContain("test-money-by-fund");
  }, 180_000);

  it("given our side counting money twice, when it drains, then the benchmark fails instead of printing figures", async () => {
    // Given our projector adding twice what the fold says
    const harness = harnessFolding([moneyByFund(2)]);
    // When / Then
    await expect(
      payments(harness, {
        seed: 4,
        repeats: 1,
        notifications: 100,
        meteredNotifications: 100,
        warmupNotifications: 0,
        projections: [moneyByFund()],
      }),
    ).rejects.toThrow(MismatchError);
  }, 120_000);
});
