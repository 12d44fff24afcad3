import { randomUUID } from "node:crypto";
import { ensureResources, freePort, localRegion, startDynamo, startSqs } from "#local/emulators.ts";
import { createClients } from "#storage/clients.ts";
import { type Config, loadConfig } from "#storage/config.ts";

/**
 * Real DynamoDB Local and the SQS emulator, in memory on free ports, with the product's tables and
 * queues. Each call gets its own table names, so tests in one file stay apart.
 */
export const startEmulators = async () => {
  const dynamo = await startDynamo(await freePort());
  const sqsServer = await startSqs(await freePort());
  const sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;
  const fresh = async (overrides: Partial<Config> = {}) => {
    const resources = await ensureResources(
      dynamo.endpoint,
      sqsEndpoint,
      { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 },
      `t${randomUUID().slice(0, 8)}`,
    );
    const config: Config = {
      ...loadConfig({
        LEDGER_TABLE: resources.ledgerTable,
        PROJECTION_TABLE: resources.projectionTable,
        QUEUE_URL: resources.queueUrl,
        DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        SQS_ENDPOINT: sqsEndpoint,
        AWS_REGION: localRegion,
      }),
      ...overrides,
    };
    return { config, clients: createClients(config) };
  };
  return {
    fresh,
    async stop() {
      await sqsServer.stop();
      await dynamo.stop();
    },
  };
};
