import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import type { DomainEvent } from "#events/index.ts";
import { attachMeter } from "#storage/meter.ts";
import { createProjector } from "#storage/projector.ts";
import { createStore } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge } from "../helpers/events.ts";
import { granted, grantFacts } from "../helpers/family-events.ts";
import { quiet } from "../helpers/projector.ts";

const emulators = useEmulators();

/** Ledger rows in the form the store writes them: the event as JSON text, one conditional INSERT each. */
const insertRows = (ddb: DynamoDBDocumentClient, table: string, events: DomainEvent[]) =>
  ddb.send(
    new BatchExecuteStatementCommand({
      Statements: events.map((event) => ({
        Statement: `INSERT INTO "${table}" VALUE {'eventId': ?, 'contentHash': ?, 'event': ?}`,
        Parameters: [event.eventId, event.source.contentHash, JSON.stringify(event)],
      })),
    }),
  );

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
      estimated: 0,
    });
  });

  it("bills a ledger INSERT by its row's size in started KB: a long name and message make 2 units", async () => {
    // Prepare: the longest name and message the form accepts, in Vietnamese (3 bytes a letter)
    const { config, clients } = await emulators.fresh();
    const short = aPledge();
    const long = aPledge({
      donor: { kind: "individual", name: "Nguyễn ".repeat(28), anonymous: false },
      message: "Chúc các em học giỏi. ".repeat(22),
    });
    // Act
    await insertRows(clients.ddb, config.ledgerTable, [short, long]);
    // Assess
    expect(clients.meter.take().computed.write).toBe(1 + 2);
  });

  it("bills a staff event's ledger row twice: the row, and its entry in the audit index", async () => {
    // Prepare: a pledge (in no index) and a grant (a staff event: the audit index holds it)
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients);
    const pledge = aPledge();
    const grant = granted(grantFacts({ occurredAt: "2026-09-05T09:00:00+07:00", unitCode: "04252" }));
    clients.meter.take();
    // Act
    await store.insertLedger([{ event: pledge }]);
    const pledgeUnits = clients.meter.take().computed.write;
    await store.insertLedger([{ event: grant }]);
    const grantUnits = clients.meter.take().computed.write;
    // Assess: a row under 1 KB is 1 unit; the index entry (keys and the event) 1 more
    expect(pledgeUnits).toBe(1);
    expect(grantUnits).toBe(2);
  });

  it("tells where the units went: ledger rows, the audit index, member rows, items by partition prefix", async () => {
    // Prepare: a pledge and a grant to a registered person, projected once
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients);
    const project = createProjector(store, quiet);
    const grant = granted(grantFacts({ occurredAt: "2026-09-05T09:00:00+07:00", unitCode: "04252" }));
    const messages = [aPledge(), grant].map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) }));
    clients.meter.take();
    // Act
    await project(messages);
    const byKind = clients.meter.byKind();
    const total = clients.meter.take().computed.write;
    // Assess: every unit is in one kind, and each part of the protocol is where it should be
    const sum = (match: (kind: string) => boolean) =>
      Object.entries(byKind)
        .filter(([kind]) => match(kind))
        .reduce((s, [, r]) => s + r.write, 0);
    expect(sum(() => true)).toBe(total);
    expect(byKind[`BatchExecuteStatement ${config.ledgerTable} -`]).toMatchObject({ calls: 1, write: 2 });
    expect(byKind[`${config.ledgerTable} index`]?.write).toBe(1);
    expect(byKind[`UpdateItem ${config.projectionTable} m`]).toMatchObject({ calls: 1, write: 1 });
    expect(sum((k) => k.startsWith(`UpdateItem ${config.projectionTable} cp`))).toBeGreaterThanOrEqual(2);
    expect(sum((k) => k.startsWith(`UpdateItem ${config.projectionTable} sup`))).toBeGreaterThanOrEqual(3);
    expect(Object.keys(clients.meter.byKind())).toEqual([]);
  });

  it("bills a refused INSERT by the row already there, not by the row it tried to write", async () => {
    // Prepare: a 2-KB row, then the same eventId with a short body
    const { config, clients } = await emulators.fresh();
    const long = aPledge({ message: "Chúc các em học giỏi. ".repeat(22) });
    await insertRows(clients.ddb, config.ledgerTable, [long]);
    clients.meter.take();
    // Act
    const out = await insertRows(clients.ddb, config.ledgerTable, [
      { ...long, data: { ...long.data, message: "ngắn" } },
    ]);
    // Assess
    expect(out.Responses?.[0]?.Error?.Code).toBe("DuplicateItem");
    expect(clients.meter.take()).toMatchObject({ computed: { write: 2 }, estimated: 0 });
  });

  it("counts a refused INSERT it cannot size as estimated, once it has forgotten the row", async () => {
    // Prepare: a meter that remembers one item, and two long rows
    const { config } = await emulators.fresh();
    const client = new DynamoDBClient({
      endpoint: config.dynamoEndpoint,
      region: config.region,
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const meter = attachMeter(client, { keys: { [config.ledgerTable]: ["eventId"] }, remember: 1 });
    const ddb = DynamoDBDocumentClient.from(client);
    const [first, second] = [0, 1].map(() => aPledge({ message: "Chúc các em học giỏi. ".repeat(22) }));
    if (!first || !second) throw new Error("two pledges expected");
    await insertRows(ddb, config.ledgerTable, [first, second]);
    meter.take();
    // Act: both again, short; only the second is still remembered
    const short = (e: DomainEvent) => ({ ...e, data: { ...e.data, message: "ngắn" } }) as DomainEvent;
    await insertRows(ddb, config.ledgerTable, [short(first), short(second)]);
    // Assess: the remembered row bills its 2 KB; the forgotten one its request's 1 KB, as an estimate
    expect(meter.take()).toMatchObject({ computed: { write: 2 + 1 }, estimated: 1 });
    client.destroy();
  });

  it("bills an UpdateItem by the larger of the item before and after, as Local reports it", async () => {
    // Prepare: a 3-KB item whose padding the update removes
    const { config, clients } = await emulators.fresh();
    const Table = config.ledgerTable;
    await clients.ddb.send(
      new PutCommand({ TableName: Table, Item: { eventId: "u", pad: "x".repeat(3000) } }),
    );
    clients.meter.take();
    // Act
    const out = await clients.ddb.send(
      new UpdateCommand({ TableName: Table, Key: { eventId: "u" }, UpdateExpression: "REMOVE xpad" }),
    );
    // Assess: billed by the 3 KB before, and the caller sees no Attributes it did not ask for
    const { computed, reported } = clients.meter.take();
    expect(computed.write).toBe(3);
    expect(reported.write).toBe(3);
    expect(out.Attributes).toBeUndefined();
    expect(out.ConsumedCapacity).toBeUndefined();
  });

  it("bills a fence whose condition fails by the item it guards", async () => {
    // Prepare: a shard-sized item (5 KB) that already carries the marker the fence checks
    const { config, clients } = await emulators.fresh();
    const Table = config.projectionTable;
    const Key = { pk: "c#x", sk: "v1#s#0" };
    await clients.ddb.send(
      new PutCommand({ TableName: Table, Item: { ...Key, "a#c1": 1, pad: "x".repeat(5000) } }),
    );
    clients.meter.take();
    // Act
    const refused = await clients.ddb
      .send(
        new UpdateCommand({
          TableName: Table,
          Key,
          UpdateExpression: "SET #f = :at",
          ConditionExpression: "attribute_not_exists(#a)",
          ExpressionAttributeNames: { "#f": "f#c1", "#a": "a#c1" },
          ExpressionAttributeValues: { ":at": 1 },
        }),
      )
      .catch((error: Error & { Item?: unknown }) => error);
    // Assess: 5 units, and the caller's error carries no item it did not ask for
    expect(refused).toMatchObject({ name: "ConditionalCheckFailedException" });
    expect((refused as { Item?: unknown }).Item).toBeUndefined();
    expect(clients.meter.take().computed.write).toBe(5);
  });

  it("bills a transaction 2 units per started KB of every item, a condition check included", async () => {
    // Prepare: a 1.5-KB put, an update of a small item, a condition check on a 3-KB item
    const { config, clients } = await emulators.fresh();
    const Table = config.ledgerTable;
    await clients.ddb.send(new PutCommand({ TableName: Table, Item: { eventId: "small", n: 1 } }));
    await clients.ddb.send(
      new PutCommand({ TableName: Table, Item: { eventId: "big", pad: "x".repeat(3000) } }),
    );
    clients.meter.take();
    // Act
    await clients.ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: Table, Item: { eventId: "new", pad: "y".repeat(1500) } } },
          {
            Update: {
              TableName: Table,
              Key: { eventId: "small" },
              UpdateExpression: "ADD n :one",
              ExpressionAttributeValues: { ":one": 1 },
            },
          },
          {
            ConditionCheck: {
              TableName: Table,
              Key: { eventId: "big" },
              ConditionExpression: "attribute_exists(eventId)",
            },
          },
        ],
      }),
    );
    // Assess: Local reports a figure of its own here; the rule is 2 x (2 + 1 + 3)
    expect(clients.meter.take().computed.write).toBe(2 * (2 + 1 + 3));
  });

  it("bills reads of missing keys and whole items behind a projection", async () => {
    // Prepare: one 5-KB item
    const { config, clients } = await emulators.fresh();
    const Table = config.ledgerTable;
    await clients.ddb.send(
      new PutCommand({ TableName: Table, Item: { eventId: "big", pad: "x".repeat(5000) } }),
    );
    clients.meter.take();
    // Act
    const batch = await clients.ddb.send(
      new BatchGetCommand({
        RequestItems: {
          [Table]: {
            Keys: [{ eventId: "big" }, { eventId: "gone1" }, { eventId: "gone2" }],
            ConsistentRead: true,
            ProjectionExpression: "eventId",
          },
        },
      }),
    );
    const eventual = await clients.ddb.send(
      new BatchGetCommand({
        RequestItems: { [Table]: { Keys: [{ eventId: "big" }, { eventId: "gone1" }] } },
      }),
    );
    const one = await clients.ddb.send(
      new GetCommand({ TableName: Table, Key: { eventId: "gone3" }, ConsistentRead: true }),
    );
    // Assess: 2 + 1 + 1 strongly consistent, 1 + 0.5 eventually, 1 for the missing GetItem;
    // the caller still gets only the attributes it projected
    expect(clients.meter.take().computed.read).toBe(4 + 1.5 + 1);
    expect(batch.Responses?.[Table]).toEqual([{ eventId: "big" }]);
    expect(eventual.Responses?.[Table]).toHaveLength(1);
    expect(one.Item).toBeUndefined();
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
    // Assess: 100 ledger rows + 2 item updates (the campaign's month, its unit group) + one
    // record of the batch's claims; then 20 refused inserts, nothing else
    expect(first.write).toBe(103);
    expect(again.write).toBe(20);
  });
});
