import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { Api } from "./constructs/api.ts";
import { Functions } from "./constructs/functions.ts";
import { Monitoring } from "./constructs/monitoring.ts";
import { Queues } from "./constructs/queues.ts";
import { Tables } from "./constructs/tables.ts";
import { projectorBatchingWindow, projectorTimeout, type StageConfig } from "./stage.ts";

export interface KhuyenhocStackProps extends StackProps {
  readonly stage: StageConfig;
}

/**
 * The whole backend: web form → HTTP API → ingest → queue → projector → tables ← campaign-query ← HTTP API.
 * Environment-agnostic (no account or region lookups), so it synthesizes offline and deploys anywhere.
 */
export class KhuyenhocStack extends Stack {
  readonly tables: Tables;
  readonly queues: Queues;
  readonly functions: Functions;
  readonly api: Api;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: KhuyenhocStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.tables = new Tables(this, "Tables", {
      removalPolicy: stage.removalPolicy,
      deletionProtection: stage.deletionProtection,
    });
    this.queues = new Queues(this, "Queues", {
      consumerTimeout: projectorTimeout,
      consumerBatchingWindow: projectorBatchingWindow,
      removalPolicy: stage.removalPolicy,
    });
    this.functions = new Functions(this, "Functions", {
      ledger: this.tables.ledger,
      projection: this.tables.projection,
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      stage,
      projectorTimeout,
      projectorBatchingWindow,
    });
    this.api = new Api(this, "Api", {
      functions: {
        ingest: this.functions.ingest,
        "campaign-query": this.functions.campaignQuery,
        "donation-status": this.functions.donationStatus,
      },
      rateLimit: stage.apiRateLimit,
      burstLimit: stage.apiBurstLimit,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
    });
    this.monitoring = new Monitoring(this, "Monitoring", {
      queue: this.queues.queue,
      deadLetterQueue: this.queues.deadLetterQueue,
      removalPolicy: stage.removalPolicy,
      ...(stage.alarmEmail === undefined ? {} : { alarmEmail: stage.alarmEmail }),
    });

    const outputs: Record<string, { value: string; description: string }> = {
      ApiUrl: { value: this.api.url, description: "Base URL of the public HTTP API" },
      LedgerTableName: { value: this.tables.ledger.tableName, description: "Event ledger table" },
      ProjectionTableName: { value: this.tables.projection.tableName, description: "Projection table" },
      QueueUrl: { value: this.queues.queue.queueUrl, description: "Event queue" },
      DeadLetterQueueUrl: { value: this.queues.deadLetterQueue.queueUrl, description: "Dead-letter queue" },
      AlarmTopicArn: { value: this.monitoring.topic.topicArn, description: "SNS topic the alarms notify" },
    };
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}
