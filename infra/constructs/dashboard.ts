import { Duration } from "aws-cdk-lib";
import type { HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import {
  Dashboard as CloudWatchDashboard,
  GraphWidget,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
} from "aws-cdk-lib/aws-cloudwatch";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { METRICS_NAMESPACE } from "#functions/shared/capacity-metrics.ts";

export interface DashboardProps {
  readonly api: HttpApi;
  readonly staffApi: HttpApi;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly projector: IFunction;
  /** The stage dimension of the functions' own metrics. */
  readonly stage: string;
}

const MINUTE = Duration.minutes(1);

/**
 * The operator's one page: what comes in at the door and how it is answered, how far behind the projector
 * is, what a batch holds and what it costs in write units, and what went to the dead-letter queue. The
 * alarms (alarms.ts) say when to look; this says where.
 */
export class Dashboard extends Construct {
  readonly dashboard: CloudWatchDashboard;

  constructor(scope: Construct, id: string, props: DashboardProps) {
    super(scope, id);
    const own = (metricName: string, statistic: string = Stats.SUM) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: "khuyenhoc", stage: props.stage },
        period: MINUTE,
        statistic,
      });
    const api = (http: HttpApi, name: string) => [
      http.metricCount({ period: MINUTE, statistic: Stats.SUM, label: `${name} requests` }),
      http.metricClientError({ period: MINUTE, statistic: Stats.SUM, label: `${name} 4xx` }),
      http.metricServerError({ period: MINUTE, statistic: Stats.SUM, label: `${name} 5xx` }),
    ];
    const width = 8;
    this.dashboard = new CloudWatchDashboard(this, "Dashboard", {
      dashboardName: `Khuyenhoc-${props.stage}`,
      defaultInterval: Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Khuyenhoc ${props.stage}\nAlarms and what to do about each: docs/deploy.md, "Alarms".`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Intake: requests, 4xx, 5xx per minute",
        left: api(props.api, "public"),
        width,
      }),
      new GraphWidget({ title: "Staff API per minute", left: api(props.staffApi, "staff"), width }),
      new GraphWidget({
        title: "Queue: depth and age of the oldest event (lag)",
        left: [props.queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, label: "queued" })],
        right: [
          props.queue.metricApproximateAgeOfOldestMessage({
            period: MINUTE,
            statistic: Stats.MAXIMUM,
            label: "oldest (s)",
          }),
        ],
        width,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Projector: batch size",
        left: [
          own("ProjectorBatchSize", Stats.AVERAGE).with({ label: "average" }),
          own("ProjectorBatchSize", Stats.MAXIMUM).with({ label: "largest" }),
        ],
        width,
      }),
      new GraphWidget({
        title: "DynamoDB write units per event applied",
        left: [
          new MathExpression({
            expression: "units / MAX([applied, 1])",
            usingMetrics: { units: own("DynamoWriteUnits"), applied: own("ProjectorApplied") },
            period: MINUTE,
            label: "write units per event (all functions)",
          }),
        ],
        width,
      }),
      new GraphWidget({
        title: "Dead letters and records handed back",
        left: [
          own("ProjectorDeadLettered").with({ label: "dead-lettered by the projector" }),
          own("ProjectorFailed").with({ label: "handed back for redelivery" }),
        ],
        right: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: MINUTE,
            label: "in the dead-letter queue",
          }),
        ],
        width,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: "Projector duration (ms) and throttles",
        left: [
          props.projector.metricDuration({ period: MINUTE, statistic: Stats.MAXIMUM, label: "longest" }),
        ],
        right: [
          props.projector.metricThrottles({ period: MINUTE, statistic: Stats.SUM, label: "throttles" }),
        ],
        width: 24,
      }),
    );
  }
}
