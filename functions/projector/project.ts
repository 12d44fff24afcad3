import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Log } from "#storage/log.ts";
import { createProjector, type ProjectorHooks } from "#storage/projector.ts";
import type { Store } from "#storage/store.ts";

/**
 * SQS-triggered: folds a batch into the ledger and projections and reports, per message, what must be
 * redelivered (partial batch failure), so one bad record never sends its neighbours round again.
 */
export const projectorHandler = (store: Store, log: Log, hooks?: ProjectorHooks) => {
  const project = createProjector(store, log, Date.now, hooks);
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const messages = event.Records.map((r) => ({ messageId: r.messageId, body: r.body }));
    try {
      const outcome = await project(messages);
      log.info("batch projected", { records: messages.length, ...outcome, failed: outcome.failed.length });
      return { batchItemFailures: outcome.failed.map((itemIdentifier) => ({ itemIdentifier })) };
    } catch (error) {
      // Nothing is lost: every record goes back to the queue, and the claims it left behind are fenced.
      log.error("batch failed; all records will be retried", { records: messages.length, error });
      return { batchItemFailures: messages.map((m) => ({ itemIdentifier: m.messageId })) };
    }
  });
};
