import { Duration } from "aws-cdk-lib";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import type { IQueue } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { RECEIPT_FONTS } from "#functions/donation-status/receipt-fonts.ts";
import { DEFAULTS, ENV } from "#storage/config.ts";
import { grantTableOnly } from "../grants.ts";
import type { StageConfig } from "../stage.ts";
import { AppFunction } from "./app-function.ts";

export interface FunctionsProps {
  readonly ledger: ITable;
  readonly projection: ITable;
  readonly queue: IQueue;
  readonly deadLetterQueue: IQueue;
  readonly stage: StageConfig;
  readonly projectorTimeout: Duration;
  readonly projectorBatchingWindow: Duration;
}

/** Well inside the HTTP API's 30 s integration limit: a donor waiting longer has already left. */
const apiTimeout = Duration.seconds(10);

/**
 * The four handlers and what each may touch:
 * - ingest: reads the ledger (duplicate check), sends to the queue;
 * - projector: consumes the queue, reads and writes both tables, dead-letters poison messages itself;
 * - campaign-query: queries the projection table;
 * - donation-status: reads one ledger row and one claim record; for a receipt, the campaign's registry item.
 */
/** How old a claim must be before another worker may fence it: twice the projector's timeout. */
export const claimGraceFor = (projectorTimeout: Duration): Duration =>
  Duration.millis(projectorTimeout.toMilliseconds() * 2);

export class Functions extends Construct {
  readonly ingest: AppFunction;
  readonly projector: AppFunction;
  readonly campaignQuery: AppFunction;
  readonly donationStatus: AppFunction;
  /** The settings every handler loads at cold start, for functions defined beside these. */
  readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    const { stage } = props;
    // Every handler loads the same configuration at cold start, so each gets every name; IAM, not the
    // environment, limits what it can do.
    const environment = {
      [ENV.ledgerTable]: props.ledger.tableName,
      [ENV.projectionTable]: props.projection.tableName,
      [ENV.queueUrl]: props.queue.queueUrl,
      [ENV.deadLetterQueueUrl]: props.deadLetterQueue.queueUrl,
      [ENV.projectionShards]: String(DEFAULTS.projectionShards),
      // Derived from the timeout, never typed apart from it: a grace shorter than an invocation would
      // fence live claims routinely (docs/exactly-once.md), and the projector refuses to start with one.
      [ENV.claimGraceMs]: String(claimGraceFor(props.projectorTimeout).toMilliseconds()),
      [ENV.projectorTimeoutMs]: String(props.projectorTimeout.toMilliseconds()),
      [ENV.projectionVersion]: String(stage.projectionVersion),
      // A dimension of every metric the functions publish (functions/shared/runtime.ts).
      KHUYENHOC_STAGE: stage.name,
    };
    this.environment = environment;
    const common = {
      environment,
      logRetention: stage.logRetention,
      removalPolicy: stage.removalPolicy,
      logLevel: stage.logLevel,
      tracing: stage.tracing,
    };

    this.ingest = new AppFunction(this, "Ingest", {
      ...common,
      entry: "functions/ingest/handler.ts",
      description: "Validates a donation form and enqueues it as an event",
      timeout: apiTimeout,
    });
    grantTableOnly(props.ledger, this.ingest, "dynamodb:GetItem");
    // The campaign registry item a pledge is admitted on (packages/storage/campaigns.ts); the donation-code
    // item written before the pledge is queued, and read back when its write is refused (payments.ts).
    grantTableOnly(props.projection, this.ingest, "dynamodb:GetItem", "dynamodb:PutItem");
    props.queue.grantSendMessages(this.ingest);

    this.projector = new AppFunction(this, "Projector", {
      ...common,
      entry: "functions/projector/handler.ts",
      description: "Records queued events in the ledger and applies them to campaign totals exactly once",
      timeout: props.projectorTimeout,
      memorySize: 512,
      ...(stage.projectorReservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: stage.projectorReservedConcurrency }),
    });
    // Exactly what packages/storage/store.ts calls. PartiQL INSERT is the ledger's conditional batch put
    // (BatchExecuteStatement); UpdateItem moves an event to a new claim, GetItem reads a move back whose
    // answer was lost; the rest is claims and totals, and the fence is a transaction (TransactWriteItems
    // needs the rights of its parts: ConditionCheckItem on the claim record, UpdateItem on the item).
    grantTableOnly(
      props.ledger,
      this.projector,
      "dynamodb:BatchGetItem",
      "dynamodb:GetItem",
      "dynamodb:PartiQLInsert",
      "dynamodb:UpdateItem",
    );
    props.projection.grant(
      this.projector,
      "dynamodb:BatchGetItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:PutItem",
      "dynamodb:UpdateItem",
    );
    props.deadLetterQueue.grantSendMessages(this.projector);
    this.projector.addEventSource(
      new SqsEventSource(props.queue, {
        batchSize: 100,
        maxBatchingWindow: props.projectorBatchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: stage.projectorMaxConcurrency,
      }),
    );

    this.campaignQuery = new AppFunction(this, "CampaignQuery", {
      ...common,
      entry: "functions/campaign-query/handler.ts",
      description: "Returns a campaign's totals",
      timeout: apiTimeout,
    });
    // Query for the totals, GetItem for the campaign's registry item (its definition).
    props.projection.grant(this.campaignQuery, "dynamodb:Query", "dynamodb:GetItem");

    this.donationStatus = new AppFunction(this, "DonationStatus", {
      ...common,
      entry: "functions/donation-status/handler.ts",
      description: "Answers whether a pledge is queued, counted or rejected, and its receipt",
      timeout: apiTimeout,
      // The receipt's PDF embeds a font read at run time: it goes beside the bundle.
      environment: { ...common.environment, [RECEIPT_FONTS.dirVariable]: "/var/task" },
      bundledFiles: [RECEIPT_FONTS.regular, RECEIPT_FONTS.bold].map(
        (file) => `node_modules/${RECEIPT_FONTS.packageDir}/${file}`,
      ),
    });
    grantTableOnly(props.ledger, this.donationStatus, "dynamodb:GetItem");
    // A pledge's status reads its claim records in one BatchGetItem (status-reader.ts); the receipt reads
    // the campaign's registry item.
    props.projection.grant(this.donationStatus, "dynamodb:GetItem", "dynamodb:BatchGetItem");
  }
}
