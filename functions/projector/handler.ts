import { logger, store } from "../shared/runtime.ts";
import { projectorHandler } from "./project.ts";

export const handler = projectorHandler(store, logger);
