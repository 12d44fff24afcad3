import { randomUUID } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import type { Clock } from "#domain/donation.ts";
import { createClients } from "#storage/clients.ts";
import { loadConfig } from "#storage/config.ts";
import { createStore } from "#storage/store.ts";

/**
 * What every deployed handler shares, built once per Lambda container: configuration (failing the cold
 * start if incomplete), AWS clients, the store and a structured logger.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "khuyenhoc" });
export const config = loadConfig();
export const store = createStore(config, createClients(config));
export const systemClock: Clock = { now: () => new Date(), newId: randomUUID };
