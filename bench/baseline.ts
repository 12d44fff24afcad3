import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { CreateTableCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import {
  type CampaignDelta,
  type CampaignView,
  contributionOf,
  mergeDeltas,
  type Totals,
  zeroTotals,
} from "#domain/projection.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { DomainEvent } from "#events/index.ts";

/**
 * The consumer an AWS engineer writes by default, as Powertools documents it: the batch utility for
 * partial failures, the idempotency utility (DynamoDB persistence) keyed on the event id, and one
 * UpdateItem per event per projection item (campaign total, day, commune). With `total: false` it is
 * the stronger variant a careful engineer writes: no campaign-total item, since the total is the sum
 * of the communes and can be summed on read (one write fewer per event). Both are here only to be
 * measured against; nothing in the product uses them.
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
  { total = true }: { total?: boolean } = {},
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
        ...(total ? [add("total", pk, delta)] : []),
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

/**
 * What a baseline's projection says, in the product's view shape: the campaign total from its `total`
 * item, or summed from the communes when it keeps none.
 */
export const baselineView = async (
  client: DynamoDBClient,
  projectionTable: string,
  campaignId: string,
): Promise<CampaignView> => {
  const ddb = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new QueryCommand({
        TableName: projectionTable,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": `c#${campaignId}` },
        ExclusiveStartKey,
      }),
    );
    items.push(...(out.Items ?? []));
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  const totals = (item: Record<string, unknown>): Totals => ({
    moneyVnd: Number(item.m ?? 0),
    inKindVnd: Number(item.k ?? 0),
    count: Number(item.n ?? 0),
  });
  const delta: CampaignDelta = { campaignId, total: zeroTotals(), byDay: new Map(), byUnit: new Map() };
  let hasTotal = false;
  for (const item of items) {
    const sk = String(item.sk);
    if (sk === "total") {
      Object.assign(delta.total, totals(item));
      hasTotal = true;
    } else if (sk.startsWith("day#")) delta.byDay.set(sk.slice(4), totals(item));
    else if (sk.startsWith("unit#")) delta.byUnit.set(sk.slice(5), totals(item));
  }
  if (!hasTotal) {
    for (const t of delta.byUnit.values()) {
      delta.total.moneyVnd += t.moneyVnd;
      delta.total.inKindVnd += t.inKindVnd;
      delta.total.count += t.count;
    }
  }
  return mergeDeltas(campaignId, [delta]);
};
