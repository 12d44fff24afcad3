import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import type { Clock } from "#domain/donation.ts";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import { donationRoutes } from "#functions/donation-status/dispatch.ts";
import { pledgedOnly, receiptHandler } from "#functions/donation-status/receipt.ts";
import { donationStatusHandler } from "#functions/donation-status/status.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { projectorHandler } from "#functions/projector/project.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import type { Log } from "#storage/log.ts";
import { createPayments } from "#storage/payments.ts";
import type { ProjectorHooks } from "#storage/projector.ts";
import { createStatusReader } from "#storage/status-reader.ts";
import { createStore, type Store } from "#storage/store.ts";
import { defineExampleCampaigns } from "./campaigns.ts";
import { type HttpHandler, startGateway } from "./gateway.ts";
import { type SqsHandler, startPoller } from "./poller.ts";
import { queueDepth } from "./queue-depth.ts";

export interface PipelineOptions {
  readonly config: Config;
  /** Clients to use: metered, or with faults injected, by the caller. */
  readonly clients: Clients;
  readonly batchSize?: number;
  readonly batchWindowMs?: number;
  readonly concurrency?: number;
  /** Wraps the store the projector uses (to kill it between writes, slow it down…). */
  readonly wrapProjectorStore?: (store: Store) => Store;
  readonly hooks?: ProjectorHooks;
  /** Start the HTTP gateway (port 0 picks a free one); without it only the projector runs. */
  readonly httpPort?: number;
  readonly log?: Log;
  readonly clock?: Clock;
}

export interface Pipeline {
  readonly url?: string;
  readonly store: Store;
  /** Messages still on the queue, visible or in flight. */
  backlog(): Promise<number>;
  stop(): Promise<void>;
}

const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The product's handlers wired from their factories rather than from their modules, for benchmarks and
 * fault drills that need several pipelines, their own clients or hooks in one process. `npm start`
 * uses packages/local/stack.ts, which loads the deployed handler modules themselves.
 */
export const startPipeline = async (options: PipelineOptions): Promise<Pipeline> => {
  const log = options.log ?? silent;
  const store = createStore(options.config, options.clients);
  const projectorStore = options.wrapProjectorStore ? options.wrapProjectorStore(store) : store;
  const sqs = options.clients.sqs;
  const queueArn =
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: options.config.queueUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes?.QueueArn ?? "";
  const poller = startPoller({
    sqs,
    queueUrl: options.config.queueUrl,
    queueArn,
    handler: projectorHandler(projectorStore, log, options.hooks) as unknown as SqsHandler,
    batchSize: options.batchSize ?? 100,
    batchWindowMs: options.batchWindowMs ?? 200,
    concurrency: options.concurrency ?? 2,
    onError: (error) => log.warn("poll error", { error }),
  });
  const clock = options.clock ?? { now: () => new Date(), newId: () => crypto.randomUUID() };
  // The door admits pledges to defined campaigns only: the example ones, in the registry alone.
  const registry = createCampaignRegistry(options.config, options.clients);
  const reader = createStatusReader(options.config, options.clients);
  if (options.httpPort !== undefined) await defineExampleCampaigns({ registry });
  const gateway =
    options.httpPort === undefined
      ? undefined
      : await startGateway(
          options.httpPort,
          {
            ingest: ingestHandler(
              store,
              log,
              clock,
              registry,
              createPayments(options.config, options.clients),
            ) as unknown as HttpHandler,
            "campaign-query": campaignQueryHandler(store, log, registry) as unknown as HttpHandler,
            "donation-status": donationRoutes(
              donationStatusHandler(reader, log),
              receiptHandler({ reader, campaigns: registry, settlementOf: pledgedOnly }, log),
            ) as unknown as HttpHandler,
          },
          (error) => log.error("gateway error", { error }),
        );
  return {
    ...(gateway ? { url: gateway.url } : {}),
    store,
    async backlog() {
      return queueDepth(sqs, options.config.queueUrl);
    },
    async stop() {
      if (gateway) {
        const closed = new Promise<void>((r) => gateway.server.close(() => r()));
        gateway.server.closeIdleConnections();
        await closed;
      }
      await poller.stop();
    },
  };
};
