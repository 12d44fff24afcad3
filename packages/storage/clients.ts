import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "./config.ts";
import { attachMeter, type Meter } from "./meter.ts";
import { ledgerKey, projectionKey } from "./tables.ts";

export interface Clients {
  readonly ddb: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** Capacity units of every DynamoDB call made through `ddb` (see meter.ts). */
  readonly meter: Meter;
}

/** Local emulators accept any key; real AWS takes credentials from the Lambda role. */
const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/** Builds the AWS clients once per process (module scope in handlers), pointed at the emulators when asked. */
export const createClients = (config: Config): Clients => {
  const ddbBase = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint ? { endpoint: config.dynamoEndpoint, credentials: localCredentials } : {}),
  });
  const sqs = new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint
      ? { endpoint: config.sqsEndpoint, credentials: localCredentials, useQueueUrlAsEndpoint: false }
      : {}),
  });
  // The meter remembers item sizes by key, to bill a write by the item it replaces.
  const meter = attachMeter(ddbBase, {
    keys: {
      [config.ledgerTable]: [ledgerKey.partitionKey],
      [config.projectionTable]: [projectionKey.partitionKey, projectionKey.sortKey],
    },
  });
  const ddb = DynamoDBDocumentClient.from(ddbBase, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { ddb, sqs, meter };
};
