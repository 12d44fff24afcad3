import middy from "@middy/core";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import type { Projection } from "#domain/projections/contract.ts";
import type { Log } from "#storage/log.ts";
import { type BatchOutcome, createProjector, type ProjectorHooks } from "#storage/projector.ts";
import type { Store } from "#storage/store.ts";

/** What one batch came to, for metrics: its size and the counts of {@link BatchOutcome}. */
export interface BatchReport {
  readonly records: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  /** Records handed back to the queue for redelivery. */
  readonly failed: number;
}

/**
 * SQS-triggered: folds a batch into the ledger and projections and reports, per message, what must be
 * redelivered (partial batch failure), so one bad record never sends its neighbours round again.
 * `report` sees every batch's counts: the queue's own age metric ignores messages received three or
 * more times, so retries and dead letters are watched from here (infra/constructs/alarms.ts).
 */
export const projectorHandler = (
  store: Store,
  log: Log,
  hooks?: ProjectorHooks,
  report: (batch: BatchReport) => void = () => {},
  /** What it folds: the registry; a drill's test may add a projection of its own. */
  projections?: readonly Projection[],
) => {
  const project = createProjector(store, log, Date.now, hooks, projections);
  return middy<SQSEvent, SQSBatchResponse>().handler(async (event) => {
    const messages = event.Records.map((r) => ({ messageId: r.messageId, body: r.body }));
    try {
      const outcome: BatchOutcome = await project(messages);
      log.info("batch projected", { records: messages.length, ...outcome, failed: outcome.failed.length });
      report({
        records: messages.length,
        applied: outcome.applied,
        duplicates: outcome.duplicates,
        deadLettered: outcome.deadLettered,
        failed: outcome.failed.length,
      });
      return { batchItemFailures: outcome.failed.map((itemIdentifier) => ({ itemIdentifier })) };
    } catch (error) {
      // Nothing is lost: every record goes back to the queue, and the claims it left behind are fenced.
      log.error("batch failed; all records will be retried", { records: messages.length, error });
      report({
        records: messages.length,
        applied: 0,
        duplicates: 0,
        deadLettered: 0,
        failed: messages.length,
      });
      return { batchItemFailures: messages.map((m) => ({ itemIdentifier: m.messageId })) };
    }
  });
};
