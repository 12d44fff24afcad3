import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { Contribution, Projection } from "#domain/projections/contract.ts";
import { DomainEvent } from "#events/index.ts";

/**
 * The consumer an AWS engineer writes by default for every registered projection, as Powertools documents
 * it: the batch utility for partial failures, the idempotency utility (DynamoDB persistence) keyed on the
 * event id, and for each contribution of each projection one `UpdateItem` ADD on its item (`pk` the
 * partition, `sk` the item). A distinct count (`firsts`) is a conditional `PutItem` of a member row per set
 * and member (`pk` `m#<set>#<member>`); the counters of the members that were new ride on the same
 * `UpdateItem`, so a contribution costs one write plus one per member. Only here to be measured against;
 * nothing in the product uses it. Tables: `createBaselineTables` (bench/baseline.ts).
 */
export const mixedBaselineConsumer = (
  client: DynamoDBClient,
  tables: { idempotencyTable: string; projectionTable: string },
  projections: readonly Projection[],
  onApplied: (eventId: string) => void,
) => {
  const ddb = DynamoDBDocumentClient.from(client);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: tables.idempotencyTable,
    awsSdkV3Client: client,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: "powertools_json(body).eventId" });
  const processor = new BatchProcessor(EventType.SQS);

  /** Whether `member` is new in `set`: the put of its row succeeds only the first time. */
  const isFirst = async (set: string, member: string): Promise<boolean> => {
    try {
      await ddb.send(
        new PutCommand({
          TableName: tables.projectionTable,
          Item: { pk: `m#${set}#${member}`, sk: "m" },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };

  const apply = async ({ target, add, firsts }: Contribution) => {
    const counters: Record<string, number> = { ...add };
    const firstOnes = await Promise.all(
      (firsts ?? []).map(async (f) => ((await isFirst(f.set, f.member)) ? f.counter : undefined)),
    );
    for (const counter of firstOnes)
      if (counter !== undefined) counters[counter] = (counters[counter] ?? 0) + 1;
    const names = Object.keys(counters);
    if (names.length === 0) return;
    await ddb.send(
      new UpdateCommand({
        TableName: tables.projectionTable,
        Key: { pk: target.partition, sk: target.item },
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(", ")}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#c${i}`, name])),
        ExpressionAttributeValues: Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
      }),
    );
  };

  const recordHandler = makeIdempotent(
    async (record: SQSRecord) => {
      const event = DomainEvent.parse(JSON.parse(record.body));
      await Promise.all(projections.flatMap((p) => p.contributions(event)).map(apply));
      onApplied(event.eventId);
    },
    { persistenceStore, config },
  );

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    config.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  };
};

/** A partition of the baseline's projection table, as `store.readPartition` gives ours: item → counters. */
export const readBaselinePartition = async (
  client: DynamoDBClient,
  projectionTable: string,
  partition: string,
): Promise<Map<string, Record<string, number>>> => {
  const ddb = DynamoDBDocumentClient.from(client);
  const items = new Map<string, Record<string, number>>();
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: projectionTable,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": partition },
        ExclusiveStartKey,
      }),
    );
    for (const { pk: _pk, sk, ...counters } of out.Items ?? [])
      items.set(
        String(sk),
        Object.fromEntries(Object.entries(counters).map(([name, value]) => [name, Number(value)])),
      );
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
};
