import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

export interface PollerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  /** Lambda's BatchSize: up to this many records per invocation. */
  readonly batchSize: number;
  /** Lambda's MaximumBatchingWindowInSeconds, in ms: how long to gather a batch once a record arrived. */
  readonly batchWindowMs: number;
  /** Concurrent invocations, as Lambda scales pollers with the backlog. */
  readonly concurrency: number;
  readonly onBatch?: (records: number, failed: number, ms: number) => void;
  readonly onError?: (error: unknown) => void;
}

/** A Lambda context with what handlers read; the rest of the interface is inert locally. */
export const localContext = (functionName: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName,
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
  memoryLimitInMB: "512",
  awsRequestId: crypto.randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: "local",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

const toRecord = (message: Message, queueArn: string): SQSRecord => ({
  messageId: message.MessageId ?? "",
  receiptHandle: message.ReceiptHandle ?? "",
  body: message.Body ?? "",
  attributes: {
    ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? "1",
    SentTimestamp: message.Attributes?.SentTimestamp ?? String(Date.now()),
    SenderId: message.Attributes?.SenderId ?? "local",
    ApproximateFirstReceiveTimestamp:
      message.Attributes?.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
  },
  messageAttributes: {},
  md5OfBody: message.MD5OfBody ?? "",
  eventSource: "aws:sqs",
  eventSourceARN: queueArn,
  awsRegion: "us-east-1",
});

/**
 * The SQS event source mapping, run locally: long-polls the queue, gathers batches by size and window,
 * invokes the handler, deletes what succeeded and leaves reported failures to reappear after the
 * visibility timeout (the queue's redrive policy dead-letters them after maxReceiveCount), exactly as
 * Lambda does. `stop()` lets in-flight batches finish before it resolves.
 */
export const startPoller = (options: PollerOptions) => {
  let stopping = false;
  const workers: Promise<void>[] = [];

  const gather = async (): Promise<Message[]> => {
    const batch: Message[] = [];
    let deadline = Number.POSITIVE_INFINITY;
    while (!stopping && batch.length < options.batchSize && Date.now() < deadline) {
      const waitSeconds = batch.length === 0 ? 1 : 0;
      const out = await options.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.batchSize - batch.length),
          WaitTimeSeconds: waitSeconds,
          MessageSystemAttributeNames: ["All"],
        }),
      );
      const received = out.Messages ?? [];
      if (received.length > 0 && batch.length === 0) deadline = Date.now() + options.batchWindowMs;
      batch.push(...received);
      if (batch.length > 0 && received.length === 0) break;
      if (batch.length === 0 && stopping) break;
    }
    return batch;
  };

  const settle = async (messages: Message[], failedIds: Set<string>) => {
    const done = messages.filter((m) => m.MessageId && !failedIds.has(m.MessageId));
    for (let i = 0; i < done.length; i += 10) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done
            .slice(i, i + 10)
            .map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle ?? "" })),
        }),
      );
    }
  };

  const work = async () => {
    while (!stopping) {
      let messages: Message[];
      try {
        messages = await gather();
      } catch (error) {
        if (stopping) break;
        options.onError?.(error);
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (messages.length === 0) continue;
      const started = Date.now();
      const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options.queueArn)) };
      let failedIds: Set<string>;
      try {
        const response = await options.handler(event, localContext("projector"));
        failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      } catch (error) {
        // A thrown handler fails the whole batch, as on Lambda.
        options.onError?.(error);
        failedIds = new Set(messages.map((m) => m.MessageId ?? ""));
      }
      try {
        await settle(messages, failedIds);
      } catch (error) {
        // Undeleted messages come back after the visibility timeout; the projector drops them as duplicates.
        options.onError?.(error);
      }
      options.onBatch?.(messages.length, failedIds.size, Date.now() - started);
    }
  };

  for (let i = 0; i < options.concurrency; i++) workers.push(work());
  return {
    async stop() {
      stopping = true;
      await Promise.all(workers);
    },
  };
};
