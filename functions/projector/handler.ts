import { logger, metered, store } from "../shared/runtime.ts";
import { projectorHandler } from "./project.ts";

export const handler = projectorHandler(store, logger).use(metered);
