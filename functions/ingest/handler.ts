import { logger, metered, store, systemClock } from "../shared/runtime.ts";
import { ingestHandler } from "./ingest.ts";

export const handler = ingestHandler(store, logger, systemClock).use(metered);
