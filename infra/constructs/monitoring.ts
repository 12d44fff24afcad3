import { Duration, type RemovalPolicy, Stack } from "aws-cdk-lib";
import {
  Alarm,
  ComparisonOperator,
  type IAlarmAction,
  Stats,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { Key } from "aws-cdk-lib/aws-kms";
import { type ITopic, Topic } from "aws-cdk-lib/aws-sns";
import { EmailSubscription } from "aws-cdk-lib/aws-sns-subscriptions";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";

export interface MonitoringProps {
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  /** Subscribed to the alarm topic when given; it must confirm the subscription e-mail. */
  readonly alarmEmail?: string;
  /** Age of the oldest queued event beyond which the projector is deemed stuck or overwhelmed. */
  readonly maxEventAge?: Duration;
  /** Applied to the topic's KMS key. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Alarms on the two signs that events are not being projected: anything in the dead-letter queue, and
 * events waiting too long in the main queue. Both notify an encrypted SNS topic.
 */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly deadLetterAlarm: Alarm;
  readonly eventAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const cloudWatch = new ServicePrincipal("cloudwatch.amazonaws.com");
    const fromThisAccount = { StringEquals: { "aws:SourceAccount": account } };

    // A customer managed key, because CloudWatch cannot publish to a topic encrypted with aws/sns.
    const key = new Key(this, "TopicKey", {
      description: "Encrypts the khuyenhoc alarm topic",
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy,
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
        resources: ["*"],
        conditions: fromThisAccount,
      }),
    );
    const topic = new Topic(this, "AlarmTopic", {
      displayName: "Khuyenhoc alarms",
      masterKey: key,
      enforceSSL: true,
    });
    topic.addToResourcePolicy(
      new PolicyStatement({
        principals: [cloudWatch],
        actions: ["sns:Publish"],
        resources: [topic.topicArn],
        conditions: fromThisAccount,
      }),
    );
    if (props.alarmEmail !== undefined) topic.addSubscription(new EmailSubscription(props.alarmEmail));
    this.topic = topic;
    const action = new SnsAction(topic);

    this.deadLetterAlarm = new Alarm(this, "DeadLetters", {
      alarmDescription:
        "Events are in the dead-letter queue: the projector rejected them or failed on them repeatedly. " +
        "Each message carries a `reason` attribute when the projector put it there. See docs/deploy.md.",
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    const maxEventAge = props.maxEventAge ?? Duration.minutes(5);
    this.eventAgeAlarm = new Alarm(this, "EventAge", {
      alarmDescription: `An event has waited more than ${maxEventAge.toHumanString()} in the queue: the projector is failing, throttled or too slow.`,
      metric: props.queue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(1),
        statistic: Stats.MAXIMUM,
      }),
      threshold: maxEventAge.toSeconds(),
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });

    for (const alarm of [this.deadLetterAlarm, this.eventAgeAlarm]) notify(alarm, action);
  }
}

/** Tell the operators both when an alarm fires and when it clears. */
const notify = (alarm: Alarm, action: IAlarmAction): void => {
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
};
