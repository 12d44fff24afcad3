import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Dynamo,
  ensureResources,
  freePort,
  localCredentials,
  localRegion,
  startDynamo,
  startSqs,
} from "#local/emulators.ts";
import { auditIndex } from "#storage/tables.ts";

/** A `.local/` kept from before the audit index: the next start must add the index, not fail or skip it. */
let dynamo: Dynamo;
let sqs: Awaited<ReturnType<typeof startSqs>>;
beforeAll(async () => {
  dynamo = await startDynamo(await freePort());
  sqs = await startSqs(await freePort());
});
afterAll(async () => {
  await sqs?.stop();
  await dynamo?.stop();
});

describe("local resources", () => {
  it("given a ledger created without the audit index, when the stack starts, then the index is added", async () => {
    // Given
    const ddb = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    await ddb.send(
      new CreateTableCommand({
        TableName: "old-ledger",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "eventId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "eventId", KeyType: "HASH" }],
      }),
    );
    // When
    const resources = await ensureResources(
      dynamo.endpoint,
      `http://127.0.0.1:${sqs.port}`,
      { visibilityTimeoutSeconds: 30, maxReceiveCount: 5 },
      "old",
    );
    // Then
    const { Table } = await ddb.send(new DescribeTableCommand({ TableName: resources.ledgerTable }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual([auditIndex.name]);
    expect(resources.vaultTable).toBe("old-vault");
    expect(resources.keysTable).toBe("old-keys");
    ddb.destroy();
  });
});
