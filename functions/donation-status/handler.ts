import { logger, metered, statusReader } from "../shared/runtime.ts";
import { donationStatusHandler } from "./status.ts";

export const handler = donationStatusHandler(statusReader, logger).use(metered);
