import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { projectorHandler } from "#functions/projector/project.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { type Clients, createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import type { Log } from "#storage/log.ts";
import { createPayments } from "#storage/payments.ts";
import { createStore, type Store } from "#storage/store.ts";
import { defineExampleCampaigns } from "../campaigns.ts";
import { ensureResources, freePort, localConfig, startDynamo, startSqs } from "../emulators.ts";
import {
  type CrashStats,
  injectThrottling,
  type LostAnswerStats,
  loseAnswers,
  type Random,
  randomCrashes,
  type SlowStats,
  slowStore,
  type ThrottleStats,
} from "../faults.ts";
import { type HttpHandler, startGateway } from "../gateway.ts";
import { type SqsHandler, startPoller } from "../poller.ts";
import { queueDepth } from "../queue-depth.ts";
import type { ChaosOptions, FaultSettings } from "./options.ts";
import { prng } from "./random.ts";

/**
 * The local stack the drill runs on: emulators, tables and queues, the product's ingest API behind the
 * local gateway and its projector behind the local event source, with every fault wrapped around them.
 */

/** The running stack: what the driver talks to, what the faults did so far, and how to stop it all. */
export interface ChaosStack {
  readonly config: Config;
  /** The driver's own clients, fault-free: for poison, the truth check and the ledger count. */
  readonly clients: Clients;
  /** A store on the fault-free clients. */
  readonly store: Store;
  /** The local gateway, serving the ingest API. */
  readonly url: string;
  /** Live counts of the faults injected. */
  readonly injected: {
    readonly ingestThrottle: ThrottleStats;
    readonly projectorThrottle: ThrottleStats;
    readonly lostAnswers: LostAnswerStats;
    readonly crashes: CrashStats;
    readonly slow: SlowStats;
  };
  /** Records received more than once, and handed out while another invocation was still at them. */
  readonly redeliveries: { readonly any: number; readonly whileProcessing: number };
  /** Warnings and errors the ingest API and the projector logged, by message. */
  readonly logCounts: Record<string, number>;
  /** Messages on the queue, visible or in flight. */
  backlog(): Promise<number>;
  /** Every fault off: the projector then finishes what is left as on a good day. */
  stopFaults(): void;
  stopPoller(): Promise<void>;
  /** Stops everything the stack started, in reverse order, the emulators last if it started them. */
  stop(): Promise<void>;
}

/** Log lines of the projector and ingest, counted by message: the drill's evidence of what went wrong. */
const countingLog = (counts: Record<string, number>): Log => {
  const count = (level: string) => (message: string) => {
    const key = `${level}: ${message}`;
    counts[key] = (counts[key] ?? 0) + 1;
  };
  return { info: () => undefined, warn: count("warn"), error: count("error") };
};

/**
 * Wraps the projector's handler to count redeliveries as it sees them: who holds which message right now,
 * to see SQS hand a message out while it is still being processed.
 */
const observingRedeliveries = () => {
  const holding = new Map<string, number>();
  const redeliveries = { any: 0, whileProcessing: 0 };
  const observed =
    (handler: SqsHandler): SqsHandler =>
    async (event, context) => {
      for (const r of event.Records) {
        if ((holding.get(r.messageId) ?? 0) > 0) redeliveries.whileProcessing++;
        if (Number(r.attributes.ApproximateReceiveCount) > 1) redeliveries.any++;
        holding.set(r.messageId, (holding.get(r.messageId) ?? 0) + 1);
      }
      try {
        return await handler(event, context);
      } finally {
        for (const r of event.Records) {
          const n = (holding.get(r.messageId) ?? 1) - 1;
          if (n === 0) holding.delete(r.messageId);
          else holding.set(r.messageId, n);
        }
      }
    };
  return { redeliveries, observed };
};

/**
 * Starts the stack: its own in-memory emulators unless `options.emulators` names running ones, fresh
 * tables and queues, the faults of `faults` (crashes and slow writes drawing from `faultRand`, throttling
 * and lost answers from streams of their own), the projector and the gateway. If it cannot start, what
 * it started is stopped.
 */
export const startChaosStack = async (
  options: ChaosOptions,
  faults: FaultSettings,
  faultRand: Random,
): Promise<ChaosStack> => {
  const own = options.emulators
    ? undefined
    : { dynamo: await startDynamo(await freePort()), sqs: await startSqs(await freePort()) };
  const dynamoEndpoint = options.emulators?.dynamoEndpoint ?? own?.dynamo.endpoint ?? "";
  const sqsEndpoint = options.emulators?.sqsEndpoint ?? `http://127.0.0.1:${own?.sqs.port}`;
  const cleanups: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await own?.sqs.stop();
    await own?.dynamo.stop();
  };
  try {
    const resources = await ensureResources(
      dynamoEndpoint,
      sqsEndpoint,
      {
        visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 2,
        maxReceiveCount: options.maxReceiveCount ?? 30,
      },
      `chaos-${Date.now().toString(36)}`,
    );
    const config = localConfig(
      { ...resources, dynamoEndpoint, sqsEndpoint },
      { claimGraceMs: options.claimGraceMs ?? 1_000 },
    );
    // Three sets of clients: the ingest API's and the projector's, each throttled and counted apart,
    // and the driver's own, fault-free, for poison, the truth check and the ledger count.
    const clean = createClients(config);
    const ingestClients = createClients(config);
    const projectorClients = createClients(config);
    cleanups.push(async () => {
      for (const c of [clean, ingestClients, projectorClients]) {
        c.ddb.destroy();
        c.sqs.destroy();
      }
    });
    const cleanStore = createStore(config, clean);

    const stormStart = Date.now();
    const throttleNow = () =>
      (Date.now() - stormStart) % faults.stormEveryMs >= faults.stormEveryMs - faults.stormMs
        ? faults.stormProbability
        : faults.throttleProbability;
    const ingestThrottle = injectThrottling(ingestClients.ddb, {
      probability: throttleNow,
      rng: prng(options.seed ^ 0x1),
    });
    const projectorThrottle = injectThrottling(projectorClients.ddb, {
      probability: throttleNow,
      statementProbability: faults.statementThrottleProbability,
      rng: prng(options.seed ^ 0x2),
    });
    // Below the throttling in the stack order does not matter: each sees every attempt.
    const lostAnswers = loseAnswers(projectorClients.ddb, {
      probability: faults.lostAnswerProbability,
      rng: prng(options.seed ^ 0x3),
    });
    const crashes = randomCrashes({ probability: faults.crashProbability, rng: faultRand });
    const slow = slowStore({
      probability: faults.slowProbability,
      applyProbability: faults.slowProbability / 5,
      delayMs: faults.slowMs,
      rng: faultRand,
    });

    const logCounts: Record<string, number> = {};
    const log = countingLog(logCounts);
    const { redeliveries, observed } = observingRedeliveries();

    const projectorStore = crashes.store(slow.store(createStore(config, projectorClients)));
    const queueArn =
      (
        await clean.sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: config.queueUrl, AttributeNames: ["QueueArn"] }),
        )
      ).Attributes?.QueueArn ?? "";
    // The handler is wrapped (crashes, observation), which startPipeline cannot do: the same pieces here.
    const poller = startPoller({
      sqs: projectorClients.sqs,
      queueUrl: config.queueUrl,
      queueArn,
      handler: observed(
        crashes.handler(
          projectorHandler(
            projectorStore,
            log,
            undefined,
            undefined,
            options.projections,
          ) as unknown as SqsHandler,
        ),
      ),
      batchSize: options.batchSize ?? 10,
      batchWindowMs: 100,
      concurrency: options.concurrency ?? 3,
    });
    let pollerStopped = false;
    const stopPoller = async () => {
      if (pollerStopped) return;
      pollerStopped = true;
      await poller.stop();
    };
    cleanups.push(stopPoller);

    const ingestStore = createStore(config, ingestClients);
    const clock = { now: () => new Date(), newId: () => crypto.randomUUID() };
    // The campaigns pledged to, in the registry only: the drill's ledger holds just the events it checks.
    const registry = createCampaignRegistry(config, ingestClients);
    await defineExampleCampaigns({ registry: createCampaignRegistry(config, clean) });
    const gateway = await startGateway(
      0,
      {
        ingest: ingestHandler(
          ingestStore,
          log,
          clock,
          registry,
          createPayments(config, ingestClients),
        ) as unknown as HttpHandler,
        "campaign-query": campaignQueryHandler(ingestStore, log, registry) as unknown as HttpHandler,
      },
      (error) => log.error(`gateway: ${error instanceof Error ? error.name : String(error)}`),
    );
    cleanups.push(async () => {
      const closed = new Promise<void>((r) => gateway.server.close(() => r()));
      gateway.server.closeIdleConnections();
      await closed;
    });

    const backlog = async (): Promise<number> => {
      return queueDepth(clean.sqs, config.queueUrl);
    };

    return {
      config,
      clients: clean,
      store: cleanStore,
      url: gateway.url,
      injected: {
        ingestThrottle: ingestThrottle.stats,
        projectorThrottle: projectorThrottle.stats,
        lostAnswers: lostAnswers.stats,
        crashes: crashes.stats,
        slow: slow.stats,
      },
      redeliveries,
      logCounts,
      backlog,
      stopFaults: () => {
        ingestThrottle.stop();
        projectorThrottle.stop();
        lostAnswers.stop();
        crashes.stop();
        slow.stop();
      },
      stopPoller,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
