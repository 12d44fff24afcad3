import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { contributionOf } from "#domain/projection.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { DomainEvent } from "#events/index.ts";

/**
 * The consumer an AWS engineer writes by default, as Powertools documents it: the batch utility for
 * partial failures, the idempotency utility (DynamoDB persistence) keyed on the event id, and one
 * UpdateItem per event per projection item (campaign total, day, commune). It is here only to be
 * measured against; nothing in the product uses it.
 */
export const createBaselineTables = async (client: DynamoDBClient, prefix: string) => {
  const idempotencyTable = `${prefix}-idempotency`;
  const projectionTable = `${prefix}-baseline-projections`;
  await client.send(
    new CreateTableCommand({
      TableName: idempotencyTable,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    }),
  );
  await client.send(
    new CreateTableCommand({
      TableName: projectionTable,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
  return { idempotencyTable, projectionTable };
};

export const baselineConsumer = (
  client: DynamoDBClient,
  tables: { idempotencyTable: string; projectionTable: string },
  onApplied: (eventId: string) => void,
) => {
  const ddb = DynamoDBDocumentClient.from(client);
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: tables.idempotencyTable,
    awsSdkV3Client: client,
  });
  const config = new IdempotencyConfig({ eventKeyJmesPath: "powertools_json(body).eventId" });
  const processor = new BatchProcessor(EventType.SQS);

  const add = (sk: string, pk: string, t: { moneyVnd: number; inKindVnd: number; count: number }) =>
    ddb.send(
      new UpdateCommand({
        TableName: tables.projectionTable,
        Key: { pk, sk },
        UpdateExpression: "ADD m :m, k :k, n :n",
        ExpressionAttributeValues: { ":m": t.moneyVnd, ":k": t.inKindVnd, ":n": t.count },
      }),
    );

  const recordHandler = makeIdempotent(
    async (record: SQSRecord) => {
      const event = DomainEvent.parse(JSON.parse(record.body));
      if (event.type !== "DonationPledged") return;
      const delta = contributionOf(event);
      const pk = `c#${event.campaignId}`;
      await Promise.all([
        add("total", pk, delta),
        add(`day#${vietnamDayOf(event.occurredAt)}`, pk, delta),
        add(`unit#${event.unitCode}`, pk, delta),
      ]);
      onApplied(event.eventId);
    },
    { persistenceStore, config },
  );

  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    config.registerLambdaContext(context);
    return processPartialResponse(event, recordHandler, processor, { context });
  };
};

/** The baseline's campaign total, to check it counted what ours counted. */
export const baselineTotal = async (client: DynamoDBClient, projectionTable: string, campaignId: string) => {
  const out = await DynamoDBDocumentClient.from(client).send(
    new QueryCommand({
      TableName: projectionTable,
      KeyConditionExpression: "pk = :pk AND sk = :sk",
      ExpressionAttributeValues: { ":pk": `c#${campaignId}`, ":sk": "total" },
    }),
  );
  const item = out.Items?.[0] ?? {};
  return { moneyVnd: Number(item.m ?? 0), inKindVnd: Number(item.k ?? 0), count: Number(item.n ?? 0) };
};
