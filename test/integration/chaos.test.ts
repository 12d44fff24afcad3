import { randomUUID } from "node:crypto";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { BatchExecuteStatementCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projections } from "#domain/projections/index.ts";
import { type ChaosResult, runChaos, summaryLine } from "#local/chaos.ts";
import {
  ensureResources,
  freePort,
  localConfig,
  localCredentials,
  localRegion,
  startDynamo,
  startSqs,
} from "#local/emulators.ts";
import { injectThrottling } from "#local/faults.ts";
import { type Pipeline, startPipeline } from "#local/pipeline.ts";
import { EXHAUSTED_RETRIES, readDeadLetters, redrive } from "#local/redrive.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { createClients } from "#storage/clients.ts";
import { createStore } from "#storage/store.ts";
import { aPledge } from "../helpers/events.ts";
import { moneyByFund } from "../helpers/money-projection.ts";

const CAMPAIGN = "thang-9-khuyen-hoc-2026";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it answers true, or fails the test after `ms`. */
const eventually = async (probe: () => Promise<boolean>, what: string, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(200);
  }
};

let stopEmulators: () => Promise<void> = async () => undefined;
let dynamoEndpoint = "";
let sqsEndpoint = "";

beforeAll(async () => {
  const dynamo = await startDynamo(await freePort());
  const sqsServer = await startSqs(await freePort());
  dynamoEndpoint = dynamo.endpoint;
  sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;
  stopEmulators = async () => {
    await sqsServer.stop();
    await dynamo.stop();
  };
});
afterAll(async () => {
  await stopEmulators();
});

describe("the chaos drill", () => {
  it("given every kind of fault at once, when 300 donations go through the pipeline, then each accepted one, each of 150 staff events and each of 100 bank transfers counts exactly once", async () => {
    // Given: faults dense enough that a short run sees every kind, on a queue that redelivers after 1 s
    const faults = {
      crashProbability: 0.25,
      slowProbability: 0.08,
      slowMs: [1_100, 1_600] as const,
      stormEveryMs: 10_000,
      stormMs: 1_500,
      statementThrottleProbability: 0.1,
      // Ledger inserts are one call per batch, a few dozen in a run: at the default 3% a lost answer
      // missed them in some runs, and the probe below needs one there.
      lostAnswerProbability: 0.08,
      poison: 9,
    };
    // When
    const result: ChaosResult = await runChaos({
      events: 300,
      seed: 7,
      faults,
      visibilityTimeoutSeconds: 1,
      claimGraceMs: 500,
      concurrency: 4,
      emulators: { dynamoEndpoint, sqsEndpoint },
      // A projection of money events beside the registry's, so that transfers move counters to check
      projections: [...projections, moneyByFund()],
    });
    // Then: the verdict
    const { report } = result;
    expect(JSON.parse(summaryLine(result))).toEqual({
      accepted: 300 - report.notAccepted,
      inLedger: result.accepted + 150 + 100,
      deadLettered: result.deadLettered,
      lost: 0,
      doubleCounted: 0,
      projectionsMatchTruth: true,
      lostAnswers: report.faults.lostAnswers,
      familyEvents: 150,
      familyMismatches: 0,
      moneyEvents: 100,
      moneyMismatches: 0,
    });
    expect(report.drained).toBe(true);
    expect(report.mismatches).toEqual([]);
    expect(report.families.examples).toEqual([]);
    expect(report.money.examples).toEqual([]);
    // …every notification was sent, about 30% of them twice
    expect(report.money.sent).toBeGreaterThan(110);
    expect(report.money.partitions).toBeGreaterThan(1);
    expect(report.ledger).toEqual({ missing: 0, unapplied: 0, examples: [] });
    expect(report.unexpected).toEqual([]);
    // …and every kind of fault was really injected
    expect(report.faults.resubmitted).toBeGreaterThan(0);
    expect(report.throttling.ingest.injected).toBeGreaterThan(0);
    expect(report.throttling.projector.injected).toBeGreaterThan(0);
    expect(report.throttling.projector.statements).toBeGreaterThan(0);
    expect(Object.keys(report.throttling.projector.byError).sort()).toEqual([
      "ProvisionedThroughputExceededException",
      "ThrottlingException",
    ]);
    expect(report.crashes.crashes).toBeGreaterThan(0);
    expect(report.lostAnswers.lost).toBeGreaterThan(0);
    expect(Object.keys(report.lostAnswers.byCommand)).toEqual(
      expect.arrayContaining(["BatchExecuteStatementCommand", "UpdateItemCommand"]),
    );
    expect(report.slow.delayed).toBeGreaterThan(0);
    expect(report.faults.redeliveredWhileProcessing).toBeGreaterThan(0);
    expect(report.faults.redelivered).toBeGreaterThan(0);
    // …and every poison message is on the dead-letter queue with its reason, no accepted event with it
    expect(report.poison).toEqual({ sent: 9, deadLettered: 9 });
    expect(report.acceptedDeadLettered).toEqual([]);
    expect(Object.keys(report.deadLetterReasons).sort()).toEqual([
      "conflict: eventId reused with other content",
      "malformed: not JSON",
      "malformed: not a valid event",
    ]);
    expect(report.conflictsRefused).toBeGreaterThan(0);
  });
});

describe("fault injectors and the redrive, on the emulators", () => {
  /** Tables and queues of their own, with a queue that gives up after `maxReceiveCount` receives. */
  const fresh = async (maxReceiveCount: number) => {
    const r = await ensureResources(
      dynamoEndpoint,
      sqsEndpoint,
      { visibilityTimeoutSeconds: 1, maxReceiveCount },
      `c${randomUUID().slice(0, 8)}`,
    );
    const config = localConfig({ ...r, dynamoEndpoint, sqsEndpoint });
    return { config, clients: createClients(config) };
  };

  it("given throttling injected in finalizeRequest, when a call is throttled twice, then the SDK retries it and it succeeds", async () => {
    // Prepare: throttle, throttle, then let it through (each roll is followed by the choice of error)
    const client = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const rolls = [0, 0.2, 0, 0.8, 0.99];
    const throttling = injectThrottling(client, { probability: 0.5, rng: () => rolls.shift() ?? 0.99 });
    // Act
    const out = await client.send(new ListTablesCommand({}));
    // Assess
    expect(out.$metadata.attempts).toBe(3);
    expect(throttling.stats).toMatchObject({
      injected: 2,
      byError: { ProvisionedThroughputExceededException: 1, ThrottlingException: 1 },
      byCommand: { ListTablesCommand: 2 },
    });
    client.destroy();
  });

  it("given statement throttling, when a PartiQL batch is sent, then refused statements answer ThrottlingError and write nothing", async () => {
    // Prepare
    const { config } = await fresh(5);
    const base = new DynamoDBClient({
      endpoint: dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    const ddb = DynamoDBDocumentClient.from(base);
    const rolls = [0.9, 0, 0.9]; // the second of three statements is refused
    const throttling = injectThrottling(ddb, {
      probability: 0,
      statementProbability: 0.5,
      rng: () => rolls.shift() ?? 0.9,
    });
    const ids = ["a", "b", "c"].map((s) => `${s}-${randomUUID()}`);
    // Act
    const out = await ddb.send(
      new BatchExecuteStatementCommand({
        Statements: ids.map((id) => ({
          Statement: `INSERT INTO "${config.ledgerTable}" VALUE {'eventId': ?}`,
          Parameters: [id],
        })),
      }),
    );
    // Assess
    expect(out.Responses?.map((r) => r.Error?.Code)).toEqual([undefined, "ThrottlingError", undefined]);
    expect(throttling.stats.statements).toBe(1);
    const stored = await Promise.all(
      ids.map(async (eventId) => {
        const { Item } = await ddb.send(
          new GetCommand({ TableName: config.ledgerTable, Key: { eventId }, ConsistentRead: true }),
        );
        return Item !== undefined;
      }),
    );
    expect(stored).toEqual([true, false, true]);
    base.destroy();
  });

  it("given an event that exhausted its retries while the projector was failing, when it is redriven, then it counts once and the poison stays", async () => {
    // Given: a projector whose ledger reads fail, and a queue that gives up after two receives. (Poison in
    // a failing batch would be dead-lettered again on every receive, so it goes first, alone.)
    const { config, clients } = await fresh(2);
    const store = createStore(config, clients);
    const event = aPledge();
    const pipelines: Pipeline[] = [];
    const broken = await startPipeline({
      config,
      clients,
      batchWindowMs: 50,
      concurrency: 1,
      wrapProjectorStore: (s) => ({
        ...s,
        insertLedger: async (entries) => {
          if (entries.length > 0) throw new Error("the ledger table is unavailable");
          return s.insertLedger(entries);
        },
      }),
    });
    pipelines.push(broken);
    try {
      const queues = {
        sqs: clients.sqs,
        queueUrl: config.queueUrl,
        deadLetterQueueUrl: config.deadLetterQueueUrl,
      };
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: "{oops" }));
      await eventually(async () => (await broken.backlog()) === 0, "the poison is dead-lettered");
      await store.enqueue(event);
      await eventually(
        async () => (await readDeadLetters(queues)).length === 2,
        "the event is dead-lettered",
      );
      await broken.stop();
      pipelines.push(await startPipeline({ config, clients, batchWindowMs: 50, concurrency: 1 }));

      // When: a dry run first, then a redrive of what exhausted its retries only
      const dryRun = await redrive({ ...queues, dryRun: true });
      const report = await redrive({ ...queues, reasonPrefix: EXHAUSTED_RETRIES });

      // Then: the event is counted once; a second copy redriven later changes nothing
      expect(dryRun).toMatchObject({
        redriven: 0,
        kept: 2,
        byReason: {
          [EXHAUSTED_RETRIES]: { redriven: 0, kept: 1 },
          "malformed: body is not JSON": { redriven: 0, kept: 1 },
        },
      });
      expect(report).toMatchObject({
        redriven: 1,
        kept: 1,
        byReason: {
          [EXHAUSTED_RETRIES]: { redriven: 1, kept: 0 },
          "malformed: body is not JSON": { redriven: 0, kept: 1 },
        },
      });
      const count = async () => (await readCampaignView(store, CAMPAIGN)).pledged.count;
      await eventually(async () => (await count()) === 1, "the redriven event is counted");
      await clients.sqs.send(
        new SendMessageCommand({ QueueUrl: config.deadLetterQueueUrl, MessageBody: JSON.stringify(event) }),
      );
      expect(await redrive({ ...queues, reasonPrefix: EXHAUSTED_RETRIES })).toMatchObject({
        redriven: 1,
        kept: 1,
        arrivedDuringRun: 0,
      });
      const last = pipelines.at(-1);
      await eventually(async () => (await last?.backlog()) === 0, "the queue is empty");
      expect(await count()).toBe(1);
      expect((await readDeadLetters(queues)).map((d) => [d.body, d.reason])).toEqual([
        ["{oops", "malformed: body is not JSON"],
      ]);
    } finally {
      for (const p of pipelines) await p.stop();
    }
  });
});
