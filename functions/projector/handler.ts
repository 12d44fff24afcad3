import { batchMetrics } from "../shared/capacity-metrics.ts";
import { logger, metered, metrics, store } from "../shared/runtime.ts";
import { projectorHandler } from "./project.ts";

export const handler = projectorHandler(store, logger, undefined, batchMetrics(metrics)).use(metered);
