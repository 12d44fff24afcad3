import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type middy from "@middy/core";
import type { Meter } from "#storage/meter.ts";

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
