import { logger, metered, store } from "../shared/runtime.ts";
import { campaignQueryHandler } from "./query.ts";

export const handler = campaignQueryHandler(store, logger).use(metered);
