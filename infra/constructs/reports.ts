import { Duration, type RemovalPolicy, Stack, TimeZone } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import type { CfnFunction } from "aws-cdk-lib/aws-lambda";
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from "aws-cdk-lib/aws-s3";
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from "aws-cdk-lib/aws-scheduler";
import { LambdaInvoke } from "aws-cdk-lib/aws-scheduler-targets";
import { Construct } from "constructs";
import { cronOf, REPORT_TIME_ZONE, reportSchedules } from "#reports/schedules.ts";
import { REPORTS_ENV } from "#storage/report-files.ts";
import { grantTableOnly } from "../grants.ts";
import { acknowledge } from "../nag.ts";
import type { StageConfig } from "../stage.ts";
import { AppFunction } from "./app-function.ts";

export interface ReportsProps {
  /** What every handler loads at cold start (Functions.environment). */
  readonly environment: Readonly<Record<string, string>>;
  /** Projection partitions (Query) and campaign registry items (GetItem): all a report reads. */
  readonly projection: ITable;
  /** The campaigns whose daily digest the scheduler asks for (each is skipped outside its window). */
  readonly digestCampaigns: readonly string[];
  readonly stage: StageConfig;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Scheduled reports: EventBridge Scheduler calls the report maker on the schedules of
 * packages/reports/schedules.ts (in Asia/Ho_Chi_Minh time), the maker reads projections and writes XLSX,
 * CSV and JSON into an encrypted, versioned bucket, and the list function serves `GET /v1/reports` with
 * short-lived download links. The maker reads projections only, so a report's cost does not grow with the
 * number of events.
 */
export class Reports extends Construct {
  readonly bucket: Bucket;
  readonly maker: AppFunction;
  readonly list: AppFunction;

  constructor(scope: Construct, id: string, props: ReportsProps) {
    super(scope, id);
    const { stage } = props;
    this.bucket = new Bucket(this, "Bucket", {
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: props.removalPolicy,
      // Old versions of re-run reports are kept a year for auditors, then go.
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(365) }],
    });
    acknowledge(
      this.bucket,
      "AwsSolutions-S1",
      "Reports are aggregates read through presigned links the list function logs; access logs would add a second bucket for no reader",
    );
    const environment = { ...props.environment, [REPORTS_ENV.bucket]: this.bucket.bucketName };
    const common = {
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      logLevel: stage.logLevel,
      tracing: stage.tracing,
      environment,
    };
    this.maker = new AppFunction(this, "Maker", {
      ...common,
      entry: "functions/reports/make-handler.ts",
      description: "Makes the scheduled reports from projections into the reports bucket",
      // A national run reads one partition per commune (about 3,400): minutes, not seconds.
      timeout: Duration.minutes(10),
      memorySize: 1024,
    });
    grantTableOnly(props.projection, this.maker, "dynamodb:Query", "dynamodb:GetItem");
    // Writing reports under their two folders, nothing else: not reading, listing or deleting them.
    this.maker.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:PutObject"], resources: [this.bucket.arnForObjects("*")] }),
    );

    this.list = new AppFunction(this, "List", {
      ...common,
      entry: "functions/reports/handler.ts",
      description: "Lists the reports of a unit or campaign with download links",
      timeout: Duration.seconds(10),
    });
    // Listing, and GetObject so that the links it signs work; never writing.
    this.list.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:ListBucket"], resources: [this.bucket.bucketArn] }),
    );
    this.list.addToRolePolicy(
      new PolicyStatement({ actions: ["s3:GetObject"], resources: [this.bucket.arnForObjects("*")] }),
    );
    const objects = `Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket)}.Arn>/*`;
    for (const fn of [this.maker, this.list])
      acknowledge(
        fn.role ?? fn,
        `AwsSolutions-IAM5[${objects}]`,
        "Every object of the reports bucket: reports are named by unit and period, unknown in advance",
      );
    // The scheduler may invoke the maker and nothing else; LambdaInvoke grants it the function and its
    // versions (`:*`), which the one unqualified target never uses but which is the maker alone.
    const schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com"),
      description: "Lets EventBridge Scheduler start the report maker",
    });
    const maker = Stack.of(this).getLogicalId(this.maker.node.defaultChild as CfnFunction);
    acknowledge(
      schedulerRole,
      `AwsSolutions-IAM5[Resource::<${maker}.Arn>:*]`,
      "The report maker's own versions: the scheduler can invoke that function and nothing else",
    );

    for (const schedule of reportSchedules) {
      new Schedule(this, `Schedule-${schedule.name}`, {
        description: schedule.description,
        schedule: ScheduleExpression.expression(cronOf(schedule), TimeZone.of(REPORT_TIME_ZONE)),
        target: new LambdaInvoke(this.maker, {
          input: ScheduleTargetInput.fromObject({
            schedule: schedule.name,
            scheduledTime: ContextAttribute.scheduledTime,
            ...(schedule.name === "campaign-daily" ? { campaigns: props.digestCampaigns } : {}),
          }),
          role: schedulerRole,
          retryAttempts: 2,
          maxEventAge: Duration.hours(6),
        }),
      });
    }
  }
}
