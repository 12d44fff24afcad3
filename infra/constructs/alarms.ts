import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TreatMissingData,
} from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { type ITable, Operation } from "aws-cdk-lib/aws-dynamodb";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRICS_NAMESPACE } from "#functions/shared/capacity-metrics.ts";

export interface AlarmsProps {
  /** Where every alarm says it fired and that it cleared. */
  readonly topic: ITopic;
  /** Every function of the stack, by a name for the alarm's id and text. */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly projector: IFunction;
  readonly projectorTimeout: Duration;
  /** The scheduled report maker: nobody waits on its answer, so a failure shows only as an error. */
  readonly reportMaker: IFunction;
  /** Every table of the stack, by name. */
  readonly tables: Readonly<Record<string, ITable>>;
  /** Every HTTP API of the stack, by name. */
  readonly apis: Readonly<Record<string, HttpApi>>;
  readonly deadLetterQueue: IQueue;
  /** The stage dimension the functions publish their own metrics under (functions/shared/runtime.ts). */
  readonly stage: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** What the functions call on their tables (an alarm's math expression may sum at most 10 metrics). */
const OPERATIONS_USED = [
  Operation.GET_ITEM,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.DELETE_ITEM,
  Operation.QUERY,
  Operation.BATCH_GET_ITEM,
  Operation.BATCH_WRITE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
  Operation.BATCH_EXECUTE_STATEMENT,
];

/**
 * The alarms that notice a broken door or a stuck projector. The HTTP handlers turn every failure into a
 * response, so Lambda's `Errors` stays 0 when the intake breaks: the API's own 5xx rate is what shows it.
 * The queue's age metric ignores messages received three or more times, so the projector's own counts
 * of records handed back and dead-lettered are alarmed on too. docs/deploy.md lists each alarm and what
 * to do about it.
 */
export class Alarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const add = (alarmId: string, description: string, metric: IMetric, threshold: number, periods = 1) => {
      const alarm = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: periods,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
      return alarm;
    };

    for (const [name, api] of Object.entries(props.apis)) {
      const errors = api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM });
      const requests = api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM });
      add(
        `${name}ServerErrors`,
        `More than 1% of the ${name} API's requests answered 5xx in 5 minutes: the door is broken for donors or staff.`,
        new MathExpression({
          expression: "100 * errors / MAX([requests, 1])",
          usingMetrics: { errors, requests },
          period: FIVE_MINUTES,
          label: `${name} 5xx %`,
        }),
        1,
      );
    }

    for (const [name, fn] of Object.entries(props.functions)) {
      add(
        `${name}Throttles`,
        `The ${name} function was throttled: its concurrency or the account's is spent.`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        0,
      );
    }
    add(
      "ProjectorErrors",
      "The projector failed whole invocations: its batches go round the queue again towards the dead-letter queue.",
      props.projector.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      0,
    );
    add(
      "ReportMakerErrors",
      "A scheduled report run failed after its retries: some reports of that period are missing (npm run report makes one by hand).",
      props.reportMaker.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      0,
    );
    const nearTimeout = props.projectorTimeout.toMilliseconds() * 0.8;
    add(
      "ProjectorNearTimeout",
      `A projector invocation ran longer than 80% of its ${props.projectorTimeout.toSeconds()} s timeout: DynamoDB is slow or throttling.`,
      props.projector.metricDuration({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      nearTimeout,
    );

    for (const [name, table] of Object.entries(props.tables)) {
      for (const metricName of ["WriteThrottleEvents", "ReadThrottleEvents"] as const) {
        add(
          `${name}${metricName}`,
          `DynamoDB throttled requests to the ${name} table (${metricName}).`,
          table.metric(metricName, { period: FIVE_MINUTES, statistic: Stats.SUM }),
          0,
        );
      }
      add(
        `${name}SystemErrors`,
        `DynamoDB answered requests to the ${name} table with a 500 (SystemErrors).`,
        table.metricSystemErrorsForOperations({ operations: OPERATIONS_USED, period: FIVE_MINUTES }),
        0,
      );
    }

    // A dead letter expires after 14 days; the depth alarm fires once and then says nothing more, so
    // the age of the oldest one keeps reminding (every day it stays) until someone redrives or drops it.
    add(
      "DeadLetterAge",
      "A dead-lettered event has waited more than a day: redrive it (npm run redrive) or discard it on purpose before it expires at 14 days.",
      props.deadLetterQueue.metricApproximateAgeOfOldestMessage({
        period: FIVE_MINUTES,
        statistic: Stats.MAXIMUM,
      }),
      Duration.days(1).toSeconds(),
    );

    const own = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: "khuyenhoc", stage: props.stage },
        period: FIVE_MINUTES,
        statistic: Stats.SUM,
      });
    add(
      "ProjectorDeadLettered",
      "The projector dead-lettered records (malformed, or an eventId reused with other content): see their reason attribute.",
      own("ProjectorDeadLettered"),
      0,
    );
    add(
      "ProjectorRetries",
      "The projector handed back more than 100 records for redelivery in each of 3 periods of 5 minutes: they are failing repeatedly.",
      own("ProjectorFailed"),
      100,
      3,
    );
  }
}
