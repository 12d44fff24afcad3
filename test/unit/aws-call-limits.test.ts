import { createServer, type Server, type Socket } from "node:net";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AWS_CALL_LIMITS, createClients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";

/** A server that accepts connections and never answers: a hung call, as a stalled network gives. */
let hung: Server;
let port = 0;
const sockets: Socket[] = [];
beforeAll(async () => {
  hung = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => hung.listen(0, "127.0.0.1", resolve));
  const address = hung.address();
  port = typeof address === "object" && address ? address.port : 0;
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => hung.close(resolve));
});

describe("calls to AWS are bounded", () => {
  it("given a call that never answers, when made with the deployed limits, then it fails as a timeout instead of hanging", async () => {
    // Prepare: the deployed limits, one attempt, against the silent server
    const client = new DynamoDBClient({
      ...AWS_CALL_LIMITS.dynamodb,
      maxAttempts: 1,
      region: "ap-southeast-1",
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    // Act
    const call = client.send(new ListTablesCommand({}));
    // Assess
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    client.destroy();
  });

  it("given no emulator endpoints, when the clients are built, then they carry the limits and the retry budget", async () => {
    // Prepare
    const config = { region: "ap-southeast-1", ledgerTable: "l", projectionTable: "p" } as unknown as Config;
    // Act
    const { ddb, sqs } = createClients(config);
    // Assess
    expect(await ddb.config.maxAttempts()).toBe(AWS_CALL_LIMITS.dynamodb.maxAttempts);
    expect(await sqs.config.maxAttempts()).toBe(AWS_CALL_LIMITS.sqs.maxAttempts);
    const handler = ddb.config.requestHandler as unknown as {
      configProvider: Promise<Record<string, unknown>>;
    };
    expect(await handler.configProvider).toMatchObject(AWS_CALL_LIMITS.dynamodb.requestHandler);
  });
});
