import { ArnFormat, Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import { type CfnQueue, type IQueue, Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface QueuesProps {
  /** Timeout of the function that consumes the queue. */
  readonly consumerTimeout: Duration;
  /** Batching window of the consumer's event source, added on top of the timeouts. */
  readonly consumerBatchingWindow: Duration;
  /** Receives after which SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount?: number;
  /** prod keeps the queues, and the events still in them, if the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Six consumer timeouts plus the batching window, as AWS advises for Lambda event sources: retries of a
 * throttled batch must not make a message visible again while it is still being processed.
 */
const visibilityFor = (props: QueuesProps): Duration =>
  Duration.seconds(props.consumerTimeout.toSeconds() * 6 + props.consumerBatchingWindow.toSeconds());

/**
 * The event queue between ingest and the projector, and its dead-letter queue. SQS moves a message there
 * after repeated failures; the projector also sends poison messages there itself, with a reason.
 */
export class Queues extends Construct {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;

  constructor(scope: Construct, id: string, props: QueuesProps) {
    super(scope, id);
    const common = {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: props.removalPolicy,
    } as const;
    this.deadLetterQueue = new Queue(this, "DeadLetterQueue", {
      ...common,
      // The longest SQS allows. A standard queue's DLQ keeps each message's original enqueue time, so
      // this must exceed the main queue's retention or dead letters would expire almost at once.
      retentionPeriod: Duration.days(14),
    });
    // The event queue has a name of its own so that the dead-letter queue can name it as its only
    // source without a reference back to it (the queue already refers to the dead-letter queue, and
    // CloudFormation refuses the cycle).
    const stack = Stack.of(this);
    const queueName = `${stack.stackName}-events`;
    this.queue = new Queue(this, "Queue", {
      ...common,
      queueName,
      visibilityTimeout: visibilityFor(props),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });
    // Only the event queue may send its failures here: another queue of the account pointed at this one
    // would mix its messages into what an operator redrives into the projector.
    (this.deadLetterQueue.node.defaultChild as CfnQueue).redriveAllowPolicy = {
      redrivePermission: "byQueue",
      sourceQueueArns: [
        stack.formatArn({ service: "sqs", resource: queueName, arnFormat: ArnFormat.NO_RESOURCE_NAME }),
      ],
    };
  }
}
