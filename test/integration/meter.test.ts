import {
  BatchGetCommand,
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { createProjector } from "#storage/projector.ts";
import { createStore } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge } from "../helpers/events.ts";
import { quiet } from "../helpers/projector.ts";

const emulators = useEmulators();

describe("the capacity meter", () => {
  it("agrees with DynamoDB Local's ConsumedCapacity where Local reports it correctly", async () => {
    // Prepare: items of 0.1 KB, 1.5 KB and 5 KB, so rounding to started KB and to 4 KB both matter
    const { config, clients } = await emulators.fresh();
    const { ddb, meter } = clients;
    const Table = config.ledgerTable;
    const item = (id: string, bytes: number) => ({ eventId: id, pad: "x".repeat(bytes) });
    // Act
    await ddb.send(new PutCommand({ TableName: Table, Item: item("small", 100) }));
    await ddb.send(new PutCommand({ TableName: Table, Item: item("mid", 1500) }));
    await ddb.send(
      new BatchWriteCommand({
        RequestItems: {
          [Table]: [item("b1", 5000), item("b2", 10)].map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
    await ddb.send(
      new UpdateCommand({
        TableName: Table,
        Key: { eventId: "mid" },
        UpdateExpression: "SET more = :m",
        ExpressionAttributeValues: { ":m": "y".repeat(800) },
      }),
    );
    await ddb.send(new GetCommand({ TableName: Table, Key: { eventId: "b1" }, ConsistentRead: true }));
    await ddb.send(new GetCommand({ TableName: Table, Key: { eventId: "mid" } }));
    await ddb.send(
      new BatchGetCommand({
        RequestItems: { [Table]: { Keys: [{ eventId: "b1" }, { eventId: "small" }], ConsistentRead: true } },
      }),
    );
    // Assess
    const { computed, reported } = meter.take();
    expect(computed.write).toBe(1 + 2 + (5 + 1) + 3);
    expect(computed.read).toBe(2 + 0.5 + (2 + 1));
    expect(computed).toEqual(reported);
  });

  it("bills a failed conditional write by the size of the item it refused, which Local does not report", async () => {
    // Prepare
    const { config, clients } = await emulators.fresh();
    await clients.ddb.send(
      new PutCommand({ TableName: config.ledgerTable, Item: { eventId: "e", pad: "x".repeat(2500) } }),
    );
    clients.meter.take();
    // Act
    const refused = await clients.ddb
      .send(
        new PutCommand({
          TableName: config.ledgerTable,
          Item: { eventId: "e" },
          ConditionExpression: "attribute_not_exists(eventId)",
        }),
      )
      .catch((error: Error) => error.name);
    // Assess
    expect(refused).toBe("ConditionalCheckFailedException");
    expect(clients.meter.take()).toEqual({
      computed: { write: 3, read: 0 },
      reported: { write: 0, read: 0 },
    });
  });

  it("bills a projected batch about one write unit per event, a resubmission one for its refused insert", async () => {
    // Prepare
    const { config, clients } = await emulators.fresh();
    const project = createProjector(createStore(config, clients), quiet);
    const events = Array.from({ length: 100 }, () => aPledge());
    const messages = events.map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) }));
    clients.meter.take();
    // Act
    await project(messages);
    const first = clients.meter.take().computed;
    await project(messages.slice(0, 20));
    const again = clients.meter.take().computed;
    // Assess: 100 ledger rows + 1 shard update + 1 claim record; then 20 refused inserts, nothing else
    expect(first.write).toBe(102);
    expect(again.write).toBe(20);
  });
});
