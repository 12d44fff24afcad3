import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type middy from "@middy/core";
import type { Meter } from "#storage/meter.ts";
import type { BatchReport } from "../projector/project.ts";

/** Where the functions' own metrics are published; the alarms and the dashboard read them there. */
export const METRICS_NAMESPACE = "Khuyenhoc";

/**
 * Publishes the DynamoDB capacity an invocation used, as metered by our billing rules (meter.ts), so the
 * cost per event the benchmark promises can be watched in production (CloudWatch, EMF).
 */
export const capacityMetrics = (meter: Meter, metrics: Metrics): middy.MiddlewareObj => {
  const publish = () => {
    const { computed, estimated } = meter.take();
    metrics.addMetric("DynamoWriteUnits", MetricUnit.Count, computed.write);
    metrics.addMetric("DynamoReadUnits", MetricUnit.Count, computed.read);
    // Calls billed from an estimate (e.g. a refused insert of a row another instance wrote): how far
    // the two figures above may be from the bill.
    metrics.addMetric("DynamoMeterEstimatedCalls", MetricUnit.Count, estimated);
    metrics.publishStoredMetrics();
  };
  return {
    before: () => {
      meter.take(); // units of a previous invocation's background work are not this one's
    },
    after: publish,
    onError: publish,
  };
};

/**
 * The projector's own counts per batch, published with the invocation's capacity: records handed back for
 * redelivery and records dead-lettered are alarmed on (infra/constructs/alarms.ts), batch size is charted.
 */
export const batchMetrics =
  (metrics: Metrics) =>
  (batch: BatchReport): void => {
    metrics.addMetric("ProjectorBatchSize", MetricUnit.Count, batch.records);
    metrics.addMetric("ProjectorApplied", MetricUnit.Count, batch.applied);
    metrics.addMetric("ProjectorFailed", MetricUnit.Count, batch.failed);
    metrics.addMetric("ProjectorDeadLettered", MetricUnit.Count, batch.deadLettered);
  };
