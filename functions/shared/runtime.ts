import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import type { Clock } from "#domain/donation.ts";
import { createClients } from "#storage/clients.ts";
import { loadConfig } from "#storage/config.ts";
import { createStatusReader } from "#storage/status-reader.ts";
import { createStore } from "#storage/store.ts";
import { capacityMetrics, METRICS_NAMESPACE } from "./capacity-metrics.ts";

/**
 * What every deployed handler shares, built once per Lambda container: configuration (failing the cold
 * start if incomplete), AWS clients, the store, a structured logger and capacity metrics.
 */
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? "khuyenhoc";
export const logger = new Logger({ serviceName });
export const config = loadConfig();
export const clients = createClients(config);
export const store = createStore(config, clients);
export const statusReader = createStatusReader(config, clients);
/**
 * One metrics object per container. The stage is a dimension of every metric, so a dev and a prod stack
 * in one account never mix in a chart or an alarm.
 */
export const metrics = new Metrics({
  namespace: METRICS_NAMESPACE,
  serviceName,
  defaultDimensions: { stage: process.env.KHUYENHOC_STAGE ?? "local" },
});
export const metered = capacityMetrics(clients.meter, metrics);
export const systemClock: Clock = { now: () => new Date(), newId: randomUUID };
