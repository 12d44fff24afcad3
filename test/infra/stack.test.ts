import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { CfnElement, Stack } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import { Queue } from "aws-cdk-lib/aws-sqs";
import type { IConstruct } from "constructs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "#functions/routes.ts";
import { auditIndex, ledgerKey, projectionKey } from "#storage/tables.ts";
import { type BuiltApp, buildApp } from "../../infra/build-app.ts";
import type { StageName } from "../../infra/stage.ts";
import { builtWebApp } from "../helpers/web-app.ts";

/** The context cdk.json gives the CLI (feature flags included), so tests synthesize what `cdk synth` does. */
const cdkJsonContext = (): Record<string, unknown> => {
  const cdkJson: unknown = JSON.parse(readFileSync(resolve(import.meta.dirname, "../../cdk.json"), "utf8"));
  if (typeof cdkJson !== "object" || cdkJson === null || !("context" in cdkJson)) return {};
  return cdkJson.context as Record<string, unknown>;
};

interface Synthesized {
  readonly built: BuiltApp;
  readonly template: Template;
  readonly outdir: string;
}

const outdirs: string[] = [];
const publicRoutes = routes.filter((r) => r.access !== "staff");

/** Synthesizes like infra/app.ts (cdk-nag plugin included); synth throws if any finding is unacknowledged. */
const synthesize = (stage: StageName, extra: Record<string, unknown> = {}): Synthesized => {
  const outdir = mkdtempSync(join(tmpdir(), `khuyenhoc-cdk-${stage}-`));
  outdirs.push(outdir);
  const built = buildApp({
    webAssetDir: builtWebApp(),
    stage,
    outdir,
    context: { ...cdkJsonContext(), ...extra },
  });
  const assembly = built.app.synth();
  const template = Template.fromJSON(assembly.getStackByName(built.stack.stackName).template);
  return { built, template, outdir };
};

interface Resource {
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
}

/** Paths of the web app's hosting and of CDK's function that deploys it (test/infra/web.test.ts). */
const isWebHosting = (path: string): boolean =>
  /^Khuyenhoc-\w+\/(Web\/|Custom::CDKBucketDeployment)/.test(path);

/**
 * The application's functions: every Lambda function but the one CDK's BucketDeployment brings to copy the
 * web app into its bucket (CDK's code and runtime, test/infra/web.test.ts).
 */
const ours = (template: Template): Resource[] =>
  Object.entries(template.findResources("AWS::Lambda::Function"))
    .filter(([id]) => !id.startsWith("CustomCDKBucketDeployment"))
    .map(([, r]) => r as Resource);

const only = (template: Template, type: string, props?: Record<string, unknown>): [string, Resource] => {
  const found = Object.entries(template.findResources(type, props && { Properties: props }));
  expect(found).toHaveLength(1);
  return found[0] as [string, Resource];
};

const logicalId = (construct: IConstruct): string => {
  const resource = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(resource))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
};

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly pluginName: string;
    readonly conclusion: string;
    readonly violations: readonly unknown[];
    readonly suppressedViolations?: readonly {
      readonly ruleName: string;
      readonly reason?: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

const validationReport = (outdir: string): ValidationReport =>
  JSON.parse(readFileSync(join(outdir, "validation-report.json"), "utf8")) as ValidationReport;

let dev: Synthesized;
let prod: Synthesized;

beforeAll(() => {
  dev = synthesize("dev");
  // prod with every optional branch on: tracing (and its acknowledgement), an alarm e-mail.
  prod = synthesize("prod", { tracing: "true", alarmEmail: "ops@example.org" });
});

afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

describe("stack naming and stages", () => {
  it("names the stack after the stage", () => {
    // Assess
    expect(dev.built.stack.stackName).toBe("Khuyenhoc-dev");
    expect(prod.built.stack.stackName).toBe("Khuyenhoc-prod");
  });

  it("is environment-agnostic, so it synthesizes without credentials or lookups", () => {
    // Assess
    expect(dev.built.stack.environment).toBe("aws://unknown-account/unknown-region");
  });

  it("rejects an unknown stage instead of deploying dev settings under another name", () => {
    // Act
    const act = () => buildApp({ webAssetDir: builtWebApp(), context: { stage: "staging" } });
    // Assess
    expect(act).toThrow(/stage must be one of dev, prod/);
  });
});

describe("tables", () => {
  it("keys the ledger by eventId, on demand, with point-in-time recovery, encryption and the audit index", () => {
    // Prepare
    const { template } = dev;
    // Assess
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [{ AttributeName: ledgerKey.partitionKey, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: [
        {
          IndexName: auditIndex.name,
          KeySchema: [
            { AttributeName: auditIndex.partitionKey, KeyType: "HASH" },
            { AttributeName: auditIndex.sortKey, KeyType: "RANGE" },
          ],
          Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["event"] },
        },
      ],
    });
  });

  it("keys the projection table by pk and sk, on demand, with point-in-time recovery and encryption", () => {
    // Prepare
    const { template } = dev;
    // Assess
    template.hasResourceProperties("AWS::DynamoDB::Table", {
      KeySchema: [
        { AttributeName: projectionKey.partitionKey, KeyType: "HASH" },
        { AttributeName: projectionKey.sortKey, KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: Match.absent(),
    });
  });

  it("retains and protects the tables in prod, except when the first create rolls back", () => {
    // Act
    const tables = Object.values(prod.template.findResources("AWS::DynamoDB::Table")) as Resource[];
    // Assess: a failed first deploy leaves no orphan behind to block the next one
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe("RetainExceptOnCreate");
      expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    }
  });

  it("deletes the tables with a dev stack", () => {
    // Act
    const tables = Object.values(dev.template.findResources("AWS::DynamoDB::Table")) as Resource[];
    // Assess
    expect(tables).toHaveLength(4);
    for (const table of tables) {
      expect(table.DeletionPolicy).toBe("Delete");
      expect(table.Properties.DeletionProtectionEnabled).toBe(false);
    }
  });
});

describe("queues", () => {
  it("redrives to the dead-letter queue after 5 receives", () => {
    // Prepare
    const { template, built } = dev;
    const dlqId = logicalId(built.stack.queues.deadLetterQueue);
    // Act
    const [, queue] = only(template, "AWS::SQS::Queue", { RedrivePolicy: Match.anyValue() });
    // Assess
    expect(queue.Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { "Fn::GetAtt": [dlqId, "Arn"] },
      maxReceiveCount: 5,
    });
  });

  it("keeps dead letters 14 days, with SQS-managed encryption", () => {
    // Prepare
    const dlqId = logicalId(dev.built.stack.queues.deadLetterQueue);
    // Act
    const dlq = dev.template.toJSON().Resources[dlqId] as Resource;
    // Assess
    expect(dlq.Properties).toMatchObject({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
  });

  it("hides a message for at least six projector timeouts", () => {
    // Prepare
    const { template, built } = dev;
    const projectorId = logicalId(built.stack.functions.projector);
    const projector = template.toJSON().Resources[projectorId] as Resource;
    // Act
    const [, queue] = only(template, "AWS::SQS::Queue", { RedrivePolicy: Match.anyValue() });
    // Assess
    expect(projector.Properties.Timeout).toBe(30);
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * 30);
  });

  it("denies non-TLS access to both queues", () => {
    // Act
    const policies = Object.values(dev.template.findResources("AWS::SQS::QueuePolicy")) as Resource[];
    // Assess
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({
            Effect: "Deny",
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      });
    }
  });
});

describe("functions", () => {
  it("runs exactly ten functions, all on nodejs24.x and arm64", () => {
    // Act
    const functions = ours(dev.template);
    // Assess
    expect(functions).toHaveLength(10);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe("nodejs24.x");
      expect(fn.Properties.Architectures).toEqual(["arm64"]);
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: expect.stringMatching(/Logs/) } });
    }
  });

  it("gives every function the configuration loadConfig requires", () => {
    // Prepare
    const functions = ours(dev.template);
    // Assess
    for (const fn of functions)
      expect(fn.Properties).toMatchObject({
        Environment: {
          Variables: expect.objectContaining({
            LEDGER_TABLE: expect.anything(),
            PROJECTION_TABLE: expect.anything(),
            QUEUE_URL: expect.anything(),
            DEAD_LETTER_QUEUE_URL: expect.anything(),
            PROJECTION_SHARDS: "4",
            CLAIM_GRACE_MS: "60000",
            POWERTOOLS_SERVICE_NAME: "khuyenhoc",
            POWERTOOLS_LOG_LEVEL: "INFO",
          }),
        },
      });
  });

  it("feeds the projector from the queue in batches of 100 with partial batch failures", () => {
    // Prepare
    const { template, built } = dev;
    // Assess
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: { "Fn::GetAtt": [logicalId(built.stack.queues.queue), "Arn"] },
      FunctionName: { Ref: logicalId(built.stack.functions.projector) },
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ["ReportBatchItemFailures"],
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
    });
  });

  it("grants the projector the parts of its fence transaction and the read-back of a lost move", () => {
    // Prepare
    const { template, built } = dev;
    const role = built.stack.functions.projector.role;
    if (role === undefined) throw new Error("the projector has no role");
    // Act
    const [, policy] = only(template, "AWS::IAM::Policy", { Roles: [{ Ref: logicalId(role) }] });
    // Assess
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement;
    expect(statements.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining(["dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:UpdateItem"]),
    );
  });

  it("grants campaign-query nothing but Query and GetItem (the registry item) on the projection table", () => {
    // Prepare
    const { template, built } = dev;
    const role = built.stack.functions.campaignQuery.role;
    if (role === undefined) throw new Error("campaign-query has no role");
    // Act
    const [, policy] = only(template, "AWS::IAM::Policy", { Roles: [{ Ref: logicalId(role) }] });
    // Assess
    const statements = (policy.Properties.PolicyDocument as { Statement: { Action: unknown }[] }).Statement;
    expect(statements.map((s) => s.Action)).toEqual([
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      ["dynamodb:GetItem", "dynamodb:Query"],
    ]);
  });

  it("grants donation-status nothing but GetItem on the ledger, and GetItem and BatchGetItem on the projection table", () => {
    // Prepare
    const { template, built } = dev;
    const role = built.stack.functions.donationStatus.role;
    if (role === undefined) throw new Error("donation-status has no role");
    // Act
    const [, policy] = only(template, "AWS::IAM::Policy", { Roles: [{ Ref: logicalId(role) }] });
    // Assess
    const statements = (
      policy.Properties.PolicyDocument as { Statement: { Action: unknown; Resource: unknown }[] }
    ).Statement;
    const [ledger, projection] = [built.stack.tables.ledger, built.stack.tables.projection].map((t) => ({
      "Fn::GetAtt": [logicalId(t), "Arn"],
    }));
    expect(statements.map((s) => s.Action)).toEqual([
      ["logs:CreateLogStream", "logs:PutLogEvents"],
      "dynamodb:GetItem",
      ["dynamodb:BatchGetItem", "dynamodb:GetItem"],
    ]);
    expect(statements[1]?.Resource).toEqual(ledger);
    expect(statements[2]?.Resource).toEqual(projection);
  });
});

describe("api", () => {
  it("serves exactly the routes of functions/routes.ts, each on its function", () => {
    // Prepare
    const { template, built } = dev;
    const functionIds = {
      ingest: logicalId(built.stack.functions.ingest),
      "campaign-query": logicalId(built.stack.functions.campaignQuery),
      "donation-status": logicalId(built.stack.functions.donationStatus),
      beneficiaries: logicalId(built.stack.staffFunctions.beneficiaries),
      audit: logicalId(built.stack.staffFunctions.audit),
      "unit-figures": logicalId(built.stack.staffFunctions.unitFigures),
      payments: logicalId(built.stack.payments.bankTransfer),
      reports: logicalId(built.stack.reports.list),
    };
    const resources = template.toJSON().Resources as Record<string, Resource>;
    // Act
    const served = Object.values(template.findResources("AWS::ApiGatewayV2::Route")).map((route) => {
      const { RouteKey, Target } = (route as Resource).Properties as {
        RouteKey: string;
        Target: { "Fn::Join": [string, [string, { Ref: string }]] };
      };
      const integration = resources[Target["Fn::Join"][1][1].Ref];
      return { RouteKey, uri: integration?.Properties.IntegrationUri };
    });
    // Assess
    expect(served).toHaveLength(routes.length);
    expect(served).toEqual(
      expect.arrayContaining(
        routes.map((r) => ({
          RouteKey: `${r.method} ${r.path}`,
          uri: { "Fn::GetAtt": [functionIds[r.function], "Arn"] },
        })),
      ),
    );
  });

  it("throttles the default stage per stage and logs every request", () => {
    // Prepare
    const stageProps = ({ template, built }: Synthesized) =>
      only(template, "AWS::ApiGatewayV2::Stage", { ApiId: { Ref: logicalId(built.stack.api.httpApi) } })[1]
        .Properties;
    // Act
    const [devStage, prodStage] = [stageProps(dev), stageProps(prod)];
    // Assess
    expect(prodStage).toMatchObject({
      StageName: "$default",
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 200, ThrottlingBurstLimit: 400 },
      AccessLogSettings: {
        DestinationArn: expect.anything(),
        Format: expect.stringContaining("$context.requestId"),
      },
    });
    expect(devStage.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });

  it("answers CORS preflight as functions/routes.ts declares", () => {
    // Assess
    dev.template.hasResourceProperties("AWS::ApiGatewayV2::Api", {
      CorsConfiguration: { AllowOrigins: ["*"], AllowMethods: ["GET", "POST", "OPTIONS"], MaxAge: 600 },
    });
  });
});

describe("alarms", () => {
  it("alarms as soon as the dead-letter queue holds a message", () => {
    // Prepare
    const dlqId = logicalId(dev.built.stack.queues.deadLetterQueue);
    // Assess
    dev.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Namespace: "AWS/SQS",
      MetricName: "ApproximateNumberOfMessagesVisible",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [dlqId, "QueueName"] } }],
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 0,
      AlarmActions: [{ Ref: Match.anyValue() }],
    });
  });

  it("alarms when the oldest queued event is older than five minutes", () => {
    // Prepare
    const queueId = logicalId(dev.built.stack.queues.queue);
    // Assess
    dev.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      MetricName: "ApproximateAgeOfOldestMessage",
      Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 300,
    });
  });

  it("notifies an encrypted topic, e-mailing alarmEmail when given", () => {
    // Assess
    prod.template.hasResourceProperties("AWS::SNS::Topic", { KmsMasterKeyId: Match.anyValue() });
    prod.template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "ops@example.org",
    });
    dev.template.resourceCountIs("AWS::SNS::Subscription", 0);
  });
});

describe("cdk-nag AwsSolutions", () => {
  it.each(["dev", "prod"] as const)("leaves no unacknowledged finding in %s", (stage) => {
    // Prepare
    const { outdir, built } = stage === "dev" ? dev : prod;
    // Act
    const report = validationReport(outdir);
    const nag = report.pluginReports.find((r) => r.pluginName === "AwsSolutions");
    // Assess
    expect(nag?.conclusion).toBe("success");
    expect(nag?.violations).toEqual([]);
    expect(Annotations.fromStack(built.stack).findError("*", Match.anyValue())).toEqual([]);
  });

  it("fails synth on a finding nobody acknowledged", () => {
    // Prepare
    const outdir = mkdtempSync(join(tmpdir(), "khuyenhoc-cdk-nag-"));
    outdirs.push(outdir);
    const { app, stack } = buildApp({
      webAssetDir: builtWebApp(),
      stage: "dev",
      outdir,
      context: cdkJsonContext(),
    });
    new Queue(stack, "QueueWithoutDeadLetters");
    // Act
    const act = () => app.synth();
    // Assess
    expect(act).toThrow(/AwsSolutions-SQS3/);
  });

  it("acknowledges APIG4 only on the public routes in dev, each with a reason", () => {
    // Act
    const nag = validationReport(dev.outdir).pluginReports.find((r) => r.pluginName === "AwsSolutions");
    const acknowledged = (nag?.suppressedViolations ?? [])
      .flatMap((v) =>
        v.violatingConstructs.map((c) => ({ rule: v.ruleName, path: c.constructPath, reason: v.reason })),
      )
      // The web app's hosting and CDK's function that deploys it: test/infra/web.test.ts.
      .filter((a) => !isWebHosting(a.path));
    // Assess
    const apig4 = acknowledged.filter((a) => a.rule === "AwsSolutions-APIG4");
    expect(apig4.map(({ rule, path }) => ({ rule, path }))).toEqual(
      expect.arrayContaining(
        publicRoutes.map((r) => ({
          rule: "AwsSolutions-APIG4",
          path: `Khuyenhoc-dev/Api/HttpApi/${r.method}${r.path.replaceAll("/", "--")}/Resource`,
        })),
      ),
    );
    expect(apig4).toHaveLength(publicRoutes.length);
    for (const { reason, path } of apig4)
      expect(reason).toMatch(path.includes("payments") ? /HMAC/ : /donors/);
    expect(
      acknowledged.filter((a) => a.rule !== "AwsSolutions-APIG4").map(({ rule, path }) => ({ rule, path })),
    ).toEqual(
      expect.arrayContaining([
        { rule: "AwsSolutions-DDB3", path: "Khuyenhoc-dev/Vault/Keys/Resource" },
        { rule: "AwsSolutions-SMG4", path: "Khuyenhoc-dev/Payments/NotifierSecret/Resource" },
        { rule: "AwsSolutions-S1", path: "Khuyenhoc-dev/Reports/Bucket/Resource" },
      ]),
    );
    const others = acknowledged.filter(
      (a) =>
        !["AwsSolutions-APIG4", "AwsSolutions-DDB3", "AwsSolutions-S1", "AwsSolutions-SMG4"].includes(a.rule),
    );
    // The reports bucket's objects (maker and list) and the report maker's versions (its scheduler), only.
    expect(others.map((a) => a.path).sort()).toEqual(
      [
        "Khuyenhoc-dev/Reports/ListRole/DefaultPolicy/Resource",
        "Khuyenhoc-dev/Reports/MakerRole/DefaultPolicy/Resource",
        "Khuyenhoc-dev/Reports/SchedulerRole/DefaultPolicy/Resource",
      ].sort(),
    );
    for (const a of acknowledged) expect(a.reason?.length ?? 0).toBeGreaterThan(20);
  });

  it("acknowledges X-Ray's wildcard resource only on the function roles when tracing is on", () => {
    // Act
    const nag = validationReport(prod.outdir).pluginReports.find((r) => r.pluginName === "AwsSolutions");
    const paths = (nag?.suppressedViolations ?? [])
      .filter((v) => v.ruleName === "AwsSolutions-IAM5[Resource::*]")
      .flatMap((v) => v.violatingConstructs.map((c) => c.constructPath))
      .filter((path) => !isWebHosting(path));
    // Assess
    expect(paths.sort()).toEqual(
      [
        ...["CampaignQuery", "DonationStatus", "Ingest", "Projector"].map((f) => `Functions/${f}`),
        ...["Audit", "Beneficiaries", "UnitFigures"].map((f) => `StaffFunctions/${f}`),
        "Payments/BankTransfer",
        ...["List", "Maker"].map((f) => `Reports/${f}`),
      ]
        .map((f) => `Khuyenhoc-prod/${f}Role/DefaultPolicy/Resource`)
        .sort(),
    );
  });
});

describe("production: alarms that see a broken door, and protections", () => {
  const alarmsOn = (template: Template) =>
    Object.values(template.findResources("AWS::CloudWatch::Alarm")) as Resource[];
  const metricNames = (template: Template): string[] =>
    alarmsOn(template).flatMap((a) => {
      const p = a.Properties as {
        MetricName?: string;
        Metrics?: { MetricStat?: { Metric?: { MetricName?: string } } }[];
      };
      return p.MetricName !== undefined
        ? [p.MetricName]
        : (p.Metrics ?? []).flatMap((m) =>
            m.MetricStat?.Metric?.MetricName ? [m.MetricStat.Metric.MetricName] : [],
          );
    });

  it("alarms on the APIs' 5xx rate, every function's throttles, the projector's errors and duration, every table's throttles and system errors, the dead letters' age and the projector's own counts", () => {
    // Act
    const names = metricNames(prod.template);
    const count = (name: string) => names.filter((n) => n === name).length;
    // Assess
    expect(count("5xx")).toBe(2); // public and staff API
    expect(count("Throttles")).toBe(10); // every function
    expect(count("Errors")).toBe(2); // the projector and the report maker (HTTP handlers answer 500)
    expect(count("Duration")).toBe(1);
    expect(count("WriteThrottleEvents")).toBe(4); // ledger, projection, vault, keys
    expect(count("ReadThrottleEvents")).toBe(4);
    expect(count("SystemErrors")).toBeGreaterThanOrEqual(4);
    expect(names).toContain("ApproximateAgeOfOldestMessage");
    expect(names).toContain("ProjectorDeadLettered");
    expect(names).toContain("ProjectorFailed");
  });

  it("tells the alarm topic both when each alarm fires and when it clears", () => {
    // Act
    const alarms = alarmsOn(prod.template);
    // Assess
    for (const alarm of alarms) {
      expect((alarm.Properties.AlarmActions as unknown[]).length).toBe(1);
      expect((alarm.Properties.OKActions as unknown[]).length).toBe(1);
    }
  });

  it("watches the projector's own metrics under the stage's dimension, so dev and prod never mix", () => {
    // Act
    const own = alarmsOn(prod.template).filter((a) => a.Properties.Namespace === "Khuyenhoc");
    // Assess
    expect(own.length).toBe(2);
    for (const alarm of own) {
      expect(alarm.Properties.Dimensions).toContainEqual({ Name: "stage", Value: "prod" });
    }
    prod.template.hasResourceProperties("AWS::Lambda::Function", {
      Environment: { Variables: Match.objectLike({ KHUYENHOC_STAGE: "prod" }) },
    });
  });

  it("alarms before the projector's timeout: duration above 80% of it", () => {
    // Act
    const duration = alarmsOn(prod.template).find((a) => a.Properties.MetricName === "Duration");
    // Assess
    expect(duration?.Properties.Threshold).toBe(24_000);
  });

  it("refuses to synthesize prod without somewhere to send its alarms", () => {
    // Act
    const act = () => buildApp({ webAssetDir: builtWebApp(), stage: "prod", context: cdkJsonContext() });
    // Assess
    expect(act).toThrow(/alarm subscription.*alarmEmail/);
  });

  it("protects the prod stack from deletion and reserves the projector's concurrency there", () => {
    // Assess
    expect(prod.built.stack.terminationProtection).toBe(true);
    expect(dev.built.stack.terminationProtection).toBe(false);
    const projector = logicalId(prod.built.stack.functions.projector);
    const resources = prod.template.toJSON().Resources as Record<string, Resource>;
    const mapping = Object.values(
      prod.template.findResources("AWS::Lambda::EventSourceMapping"),
    )[0] as Resource;
    const maxConcurrency = (mapping.Properties.ScalingConfig as { MaximumConcurrency: number })
      .MaximumConcurrency;
    expect(resources[projector]?.Properties.ReservedConcurrentExecutions).toBeGreaterThanOrEqual(
      maxConcurrency,
    );
  });
});

describe("production: what the queue and the claim grace are derived from", () => {
  it("lets only the event queue send its failures to the dead-letter queue", () => {
    // Act
    const queues = prod.template.toJSON().Resources as Record<string, Resource & { Type: string }>;
    const events = Object.values(queues).find((r) => r.Type === "AWS::SQS::Queue" && r.Properties.QueueName);
    const dlq = Object.values(queues).find(
      (r) => r.Type === "AWS::SQS::Queue" && r.Properties.RedriveAllowPolicy,
    );
    // Assess
    expect(events?.Properties.QueueName).toBe("Khuyenhoc-prod-events");
    const policy = dlq?.Properties.RedriveAllowPolicy as {
      redrivePermission: string;
      sourceQueueArns: unknown[];
    };
    expect(policy.redrivePermission).toBe("byQueue");
    expect(JSON.stringify(policy.sourceQueueArns)).toContain(":Khuyenhoc-prod-events");
  });

  it("derives the claim grace from the projector's timeout, and the visibility timeout exceeds both", () => {
    // Act
    const projector = (prod.template.toJSON().Resources as Record<string, Resource>)[
      logicalId(prod.built.stack.functions.projector)
    ];
    if (projector === undefined) throw new Error("no projector function in the template");
    const env = (projector.Properties.Environment as { Variables: Record<string, string> }).Variables;
    const [, queue] = only(prod.template, "AWS::SQS::Queue", { QueueName: "Khuyenhoc-prod-events" });
    const visibilityMs = Number(queue.Properties.VisibilityTimeout) * 1000;
    // Assess
    expect(Number(env.CLAIM_GRACE_MS)).toBeGreaterThanOrEqual(Number(env.PROJECTOR_TIMEOUT_MS));
    expect(Number(env.PROJECTOR_TIMEOUT_MS)).toBe((projector.Properties.Timeout as number) * 1000);
    expect(visibilityMs).toBeGreaterThan(Number(env.CLAIM_GRACE_MS));
  });
});

describe("production: the operator's dashboard", () => {
  it("charts intake, 4xx/5xx, queue depth and age, batch sizes, write units per event and dead letters", () => {
    // Act
    const [, dashboard] = only(prod.template, "AWS::CloudWatch::Dashboard");
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    // Assess
    expect(dashboard.Properties.DashboardName).toBe("Khuyenhoc-prod");
    for (const metric of [
      "Count",
      "4xx",
      "5xx",
      "ApproximateNumberOfMessagesVisible",
      "ApproximateAgeOfOldestMessage",
      "ProjectorBatchSize",
      "DynamoWriteUnits",
      "ProjectorApplied",
      "ProjectorDeadLettered",
    ]) {
      expect(body).toContain(metric);
    }
    expect(body).toContain("prod"); // the stage dimension of the functions' own metrics
  });
});

describe("production: a custom domain in front of the public API", () => {
  it("given a domain and its certificate, then the API's stage is mapped to it and the URL is the domain's", () => {
    // Act
    const withDomain = synthesize("prod", {
      alarmEmail: "ops@example.org",
      apiDomainName: "api.khuyenhoc.example.vn",
      apiCertificateArn: "arn:aws:acm:ap-southeast-1:111122223333:certificate/abc",
    });
    // Assess
    withDomain.template.hasResourceProperties("AWS::ApiGatewayV2::DomainName", {
      DomainName: "api.khuyenhoc.example.vn",
      DomainNameConfigurations: [
        Match.objectLike({ CertificateArn: "arn:aws:acm:ap-southeast-1:111122223333:certificate/abc" }),
      ],
    });
    withDomain.template.resourceCountIs("AWS::ApiGatewayV2::ApiMapping", 1);
    withDomain.template.hasOutput("ApiUrl", { Value: "https://api.khuyenhoc.example.vn/" });
    withDomain.template.hasOutput("ApiDomainTarget", Match.anyValue());
    prod.template.resourceCountIs("AWS::ApiGatewayV2::DomainName", 0);
  });

  it("given a domain without its certificate, then synthesis stops and says both are needed", () => {
    // Act
    const act = () =>
      buildApp({
        webAssetDir: builtWebApp(),
        stage: "prod",
        context: { ...cdkJsonContext(), alarmEmail: "ops@example.org", apiDomainName: "api.example.vn" },
      });
    // Assess
    expect(act).toThrow(/apiDomainName and apiCertificateArn go together/);
  });
});
