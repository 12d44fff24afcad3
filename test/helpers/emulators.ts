import { randomUUID } from "node:crypto";
import { afterAll, beforeAll } from "vitest";
import { ensureResources, freePort, localConfig, startDynamo, startSqs } from "#local/emulators.ts";
import { createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";

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
    const config = localConfig({ ...resources, dynamoEndpoint: dynamo.endpoint, sqsEndpoint }, overrides);
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

/** Emulators for one test file: started before its tests, stopped after them. */
export const useEmulators = () => {
  let emulators: Awaited<ReturnType<typeof startEmulators>> | undefined;
  beforeAll(async () => {
    emulators = await startEmulators();
  });
  afterAll(async () => {
    await emulators?.stop();
  });
  return {
    fresh: (overrides: Partial<Config> = {}) => {
      if (!emulators) throw new Error("the emulators are not started yet");
      return emulators.fresh(overrides);
    },
  };
};
