import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";

/**
 * Moves dead-lettered messages back to the main queue once their cause is fixed (`npm run redrive`),
 * and reads the dead-letter queue for drills. Works on any SQS queue pair: the local emulator or AWS.
 */

/**
 * The reason of a message the queue's redrive policy moved after maxReceiveCount receives: SQS moves
 * it as it is, without a `reason` attribute (only the projector gives one, to poison it dead-letters).
 */
export const EXHAUSTED_RETRIES = "exhausted retries";

export const reasonOf = (message: Pick<Message, "MessageAttributes">): string =>
  message.MessageAttributes?.reason?.StringValue ?? EXHAUSTED_RETRIES;

export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  readonly reason: string;
}

export interface RedriveOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Only messages whose reason starts with this are moved; the others stay on the dead-letter queue. */
  readonly reasonPrefix?: string;
  /** Read and report only: every message stays where it is. */
  readonly dryRun?: boolean;
  /**
   * How long each received message is hidden while the run goes on (seconds). Messages that stay are
   * made visible again at the end; a run longer than this may see some twice, and counts them once.
   */
  readonly holdSeconds?: number;
  /** Called after each batch of up to 10 messages. */
  readonly onBatch?: (messages: readonly DeadLetter[], moved: number) => void;
}

export interface RedriveReport {
  /** Messages sent back to the main queue and deleted from the dead-letter queue. */
  readonly redriven: number;
  /** Messages left on the dead-letter queue (not matching, dry run, failed to send, or arrived late). */
  readonly kept: number;
  /** Of those kept, how many were dead-lettered while the run went on (left for the next run). */
  readonly arrivedDuringRun: number;
  /** Per reason: how many were redriven and how many kept. */
  readonly byReason: Record<string, { redriven: number; kept: number }>;
  /** Every message seen, with its reason. */
  readonly messages: readonly DeadLetter[];
}

/** Sends bodies to the queue, 10 to a call; answers the ids that were sent. */
const sendBack = async (sqs: SQSClient, queueUrl: string, messages: readonly DeadLetter[]) => {
  const sent = new Set<string>();
  try {
    const out = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: messages.map((m, i) => ({ Id: String(i), MessageBody: m.body })),
      }),
    );
    for (const ok of out.Successful ?? []) {
      const message = messages[Number(ok.Id)];
      if (message) sent.add(message.messageId);
    }
  } catch {
    // A batch over the request size limit: one at a time instead.
    for (const message of messages) {
      try {
        await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.body }));
        sent.add(message.messageId);
      } catch {
        // stays on the dead-letter queue
      }
    }
  }
  return sent;
};

/**
 * Receives the dead-letter queue in batches of 10; sends each matching message's body to the main queue
 * (without its `reason`: a message that fails again is dead-lettered afresh), then deletes it from the
 * dead-letter queue. Sending comes before deleting, so a run that dies in between leaves a copy in both
 * queues rather than none; the projector counts an event once whatever the number of copies.
 */
export const redrive = async (options: RedriveOptions): Promise<RedriveReport> => {
  const { sqs, queueUrl, deadLetterQueueUrl } = options;
  const holdSeconds = options.holdSeconds ?? 60;
  // Only what was dead-lettered before the run: a redriven message the projector dead-letters again
  // while the run goes on must wait for the next run, or poison would go round for ever.
  const startedAt = Date.now();
  let arrivedDuringRun = 0;
  const matches = (reason: string) =>
    !options.dryRun && (options.reasonPrefix === undefined || reason.startsWith(options.reasonPrefix));
  const held = new Map<string, string>(); // messageId → latest receipt handle, made visible at the end
  const seen = new Set<string>();
  const messages: DeadLetter[] = [];
  const byReason: Record<string, { redriven: number; kept: number }> = {};
  let redriven = 0;
  const tally = (reason: string, field: "redriven" | "kept") => {
    byReason[reason] ??= { redriven: 0, kept: 0 };
    byReason[reason][field]++;
  };

  for (;;) {
    const out = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: holdSeconds,
        MessageAttributeNames: ["All"],
        MessageSystemAttributeNames: ["SentTimestamp"],
      }),
    );
    const received = out.Messages ?? [];
    for (const m of received)
      if (m.MessageId && held.has(m.MessageId)) held.set(m.MessageId, m.ReceiptHandle ?? "");
    const fresh = received.filter((m) => m.MessageId !== undefined && !seen.has(m.MessageId));
    if (fresh.length === 0) break;
    const batch: (DeadLetter & { receiptHandle: string; arrived: boolean })[] = fresh.map((m) => ({
      messageId: m.MessageId ?? "",
      body: m.Body ?? "",
      reason: reasonOf(m),
      receiptHandle: m.ReceiptHandle ?? "",
      arrived: Number(m.Attributes?.SentTimestamp ?? 0) > startedAt,
    }));
    for (const m of batch) seen.add(m.messageId);
    arrivedDuringRun += batch.filter((m) => m.arrived).length;
    const chosen = batch.filter((m) => !m.arrived && matches(m.reason));
    const sent = chosen.length > 0 ? await sendBack(sqs, queueUrl, chosen) : new Set<string>();
    const moved = batch.filter((m) => sent.has(m.messageId));
    if (moved.length > 0) {
      const deleted = await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: deadLetterQueueUrl,
          Entries: moved.map((m, i) => ({ Id: String(i), ReceiptHandle: m.receiptHandle })),
        }),
      );
      // A copy that could not be deleted stays on the dead-letter queue too; report it as kept.
      for (const failure of deleted.Failed ?? []) {
        const m = moved[Number(failure.Id)];
        if (m) sent.delete(m.messageId);
      }
    }
    for (const m of batch) {
      const done = sent.has(m.messageId);
      tally(m.reason, done ? "redriven" : "kept");
      if (done) redriven++;
      else held.set(m.messageId, m.receiptHandle);
      messages.push({ messageId: m.messageId, body: m.body, reason: m.reason });
    }
    options.onBatch?.(
      batch.map(({ messageId, body, reason }) => ({ messageId, body, reason })),
      moved.length,
    );
  }

  // What stays becomes visible again in a second, for the next redrive. (Not 0: the SQS emulator with a
  // data directory, fauxqs 2.4, loses a message whose visibility is set to 0.)
  const stay = [...held.values()];
  for (let i = 0; i < stay.length; i += 10) {
    await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: deadLetterQueueUrl,
        Entries: stay.slice(i, i + 10).map((receiptHandle, j) => ({
          Id: String(j),
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: 1,
        })),
      }),
    );
  }
  return { redriven, kept: messages.length - redriven, arrivedDuringRun, byReason, messages };
};

/** Every message on the dead-letter queue with its reason; nothing is moved. */
export const readDeadLetters = async (
  options: Omit<RedriveOptions, "dryRun" | "reasonPrefix" | "onBatch">,
): Promise<readonly DeadLetter[]> => (await redrive({ ...options, dryRun: true })).messages;
