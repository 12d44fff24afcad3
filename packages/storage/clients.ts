import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Config } from "./config.ts";
import { attachMeter, type Meter } from "./meter.ts";
import { auditIndex, ledgerKey, projectionKey } from "./tables.ts";

export interface Clients {
  readonly ddb: DynamoDBDocumentClient;
  readonly sqs: SQSClient;
  /** Capacity units of every DynamoDB call made through `ddb` (see meter.ts). */
  readonly meter: Meter;
}

/** Local emulators accept any key; real AWS takes credentials from the Lambda role. */
const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };

/**
 * Bounds on one call to AWS, so that a hung connection cannot use up a function's whole timeout: a call
 * with no answer after `requestTimeout` is abandoned and retried by the SDK, with backoff, up to
 * `maxAttempts` in all. Every write may have been done although its answer was lost; the exactly-once
 * protocol reads back what it cannot know (docs/exactly-once.md). Only for AWS itself: the local
 * emulators serve long polls and stall under benchmark load, and nothing there has a timeout to protect.
 */
export const AWS_CALL_LIMITS = {
  dynamodb: {
    maxAttempts: 5,
    // Without throwOnRequestTimeout the SDK only logs a warning when requestTimeout passes.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
  },
  sqs: {
    maxAttempts: 4,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
  },
} as const;

/** Builds the AWS clients once per process (module scope in handlers), pointed at the emulators when asked. */
export const createClients = (config: Config): Clients => {
  const ddbBase = new DynamoDBClient({
    region: config.region,
    ...(config.dynamoEndpoint
      ? { endpoint: config.dynamoEndpoint, credentials: localCredentials }
      : AWS_CALL_LIMITS.dynamodb),
  });
  const sqs = new SQSClient({
    region: config.region,
    ...(config.sqsEndpoint
      ? { endpoint: config.sqsEndpoint, credentials: localCredentials, useQueueUrlAsEndpoint: false }
      : AWS_CALL_LIMITS.sqs),
  });
  // The meter remembers item sizes by key, to bill a write by the item it replaces.
  const meter = attachMeter(ddbBase, {
    keys: {
      [config.ledgerTable]: [ledgerKey.partitionKey],
      [config.projectionTable]: [projectionKey.partitionKey, projectionKey.sortKey],
    },
    // The ledger's audit index holds staff events: keys and the event (tables.ts, infra tables.ts).
    indexes: {
      [config.ledgerTable]: [
        {
          keys: [auditIndex.partitionKey, auditIndex.sortKey],
          keeps: [ledgerKey.partitionKey, auditIndex.partitionKey, auditIndex.sortKey, "event"],
        },
      ],
    },
  });
  const ddb = DynamoDBDocumentClient.from(ddbBase, {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { ddb, sqs, meter };
};
