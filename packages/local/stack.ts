import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { PAYMENT_SECRET_ENV } from "#functions/payments/secret.ts";
import { createCampaignRegistry } from "#storage/campaigns.ts";
import { ENV } from "#storage/config.ts";
import { REPORTS_ENV } from "#storage/report-files.ts";
import { VAULT_ENV } from "#storage/vault-config.ts";
import { defineExampleCampaigns, exampleCampaigns } from "./campaigns.ts";
import {
  ensureReportsBucket,
  ensureResources,
  freePort,
  type LocalResources,
  localCredentials,
  localRegion,
  pidFile,
  REPORTS_BUCKET,
  startDynamo,
  startSqs,
} from "./emulators.ts";
import { endpointsFile } from "./endpoints.ts";
import { type HttpHandler, startGateway } from "./gateway.ts";
import { createHostedSignIn } from "./hosted-sign-in.ts";
import { ensurePaymentSecret, paymentSecretFile } from "./payment-secret.ts";
import { type SqsHandler, startPoller } from "./poller.ts";
import { startReportTimer } from "./report-timer.ts";
import {
  generateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  loadSigningKey,
  type SigningKey,
  startIssuer,
} from "./token-issuer.ts";

export interface LocalStackOptions {
  /** Where tables and queued messages are kept; in memory when absent (tests). */
  readonly dataDir?: string;
  /** HTTP port; 0 picks a free one. */
  readonly port: number;
  readonly batchSize?: number;
  readonly batchWindowMs?: number;
  readonly concurrency?: number;
  readonly visibilityTimeoutSeconds?: number;
  readonly maxReceiveCount?: number;
  readonly claimGraceMs?: number;
  readonly projectionShards?: number;
  /** Progress lines (batches projected, errors); silent when absent. */
  readonly say?: (line: string) => void;
  /** Port of the local token issuer's JWKS; 0 (the default) picks a free one. */
  readonly authPort?: number;
  /** The built web app (packages/web/dist), served at `/` beside the API; none when absent. */
  readonly webDir?: string;
}

export interface LocalStack {
  readonly url: string;
  readonly resources: LocalResources;
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
  /** The local token issuer: its JWKS address and the key its tokens are signed with. */
  readonly auth: { readonly jwksUri: string; readonly signingKey: SigningKey };
  /** Stops taking requests, lets in-flight batches finish, then stops the emulators. */
  stop(): Promise<void>;
}

/**
 * The product on one machine: DynamoDB Local and the SQS emulator, the same tables and queues as the
 * CDK stack, the deployed handler modules themselves (configured through the same environment
 * variables), a local HTTP API and a local SQS event source. Nothing is mocked.
 */
export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const say = options.say ?? (() => undefined);
  const dataDir =
    options.dataDir && (isAbsolute(options.dataDir) ? options.dataDir : resolve(options.dataDir));
  const pids = dataDir ? pidFile(dataDir) : undefined;
  const leftovers = pids?.killLeftovers() ?? [];
  if (leftovers.length > 0) say(`stopped ${leftovers.length} process(es) left over from an earlier run`);

  const [dynamoPort, sqsPort] = [await freePort(), await freePort()];
  const dynamo = await startDynamo(dynamoPort, dataDir && join(dataDir, "dynamodb"));
  pids?.write([process.pid, dynamo.process.pid ?? 0]);
  const sqsServer = await startSqs(sqsPort, dataDir && join(dataDir, "sqs"));
  const sqsEndpoint = `http://127.0.0.1:${sqsServer.port}`;
  const visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
  const resources = await ensureResources(dynamo.endpoint, sqsEndpoint, {
    visibilityTimeoutSeconds,
    maxReceiveCount: options.maxReceiveCount ?? 5,
  });

  // Staff tokens: the key persists with the data (so minted tokens survive a restart), or lives in memory.
  const signingKey = dataDir ? loadSigningKey(dataDir) : generateSigningKey();
  const issuer = await startIssuer(options.authPort ?? 0, signingKey);
  // The vault's master key: beside the data, or in a temporary directory for a stack kept in memory.
  const keyDir = dataDir ?? mkdtempSync(join(tmpdir(), "khuyenhoc-vault-"));
  // The bank-transfer notifier's secret, beside the vault key: made on the first start.
  const paymentSecret = paymentSecretFile(keyDir);
  ensurePaymentSecret(paymentSecret);

  // The handler modules read their configuration once at load, as in Lambda: set it, then import them.
  Object.assign(process.env, {
    [ENV.ledgerTable]: resources.ledgerTable,
    [ENV.projectionTable]: resources.projectionTable,
    [ENV.queueUrl]: resources.queueUrl,
    [ENV.deadLetterQueueUrl]: resources.deadLetterQueueUrl,
    [ENV.projectionShards]: String(options.projectionShards ?? 4),
    [ENV.claimGraceMs]: String(
      options.claimGraceMs ?? Math.min(20_000, (visibilityTimeoutSeconds * 1000) / 2),
    ),
    [ENV.dynamoEndpoint]: dynamo.endpoint,
    [ENV.sqsEndpoint]: sqsEndpoint,
    AUTH_ISSUER: LOCAL_ISSUER,
    AUTH_AUDIENCE: LOCAL_AUDIENCE,
    AUTH_JWKS_URI: issuer.jwksUri,
    [VAULT_ENV.vaultTable]: resources.vaultTable,
    [VAULT_ENV.keysTable]: resources.keysTable,
    [VAULT_ENV.keyFile]: join(keyDir, "vault", "master.key"),
    [PAYMENT_SECRET_ENV.secretFile]: paymentSecret,
    // Reports go to the S3 side of the same emulator that serves the queues.
    [REPORTS_ENV.bucket]: REPORTS_BUCKET,
    [REPORTS_ENV.endpoint]: sqsEndpoint,
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? localCredentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? localCredentials.secretAccessKey,
    AWS_REGION: localRegion,
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? "WARN",
    // Capacity metrics are CloudWatch EMF lines: noise on a terminal. The meter itself still runs.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? "true",
  });
  // Operator scripts (rebuild, redrive) find the running emulators here.
  if (dataDir) {
    writeFileSync(
      endpointsFile(dataDir),
      `${JSON.stringify({ dynamoEndpoint: dynamo.endpoint, sqsEndpoint, ...resources, projectionVersion: Number(process.env[ENV.projectionVersion] ?? 1) }, null, 2)}\n`,
    );
  }
  const ingest = (await import("#functions/ingest/handler.ts")).handler as unknown as HttpHandler;
  const query = (await import("#functions/campaign-query/handler.ts")).handler as unknown as HttpHandler;
  const status = (await import("#functions/donation-status/handler.ts")).handler as unknown as HttpHandler;
  const projector = (await import("#functions/projector/handler.ts")).handler as unknown as SqsHandler;
  const beneficiaries = (await import("#functions/beneficiaries/handler.ts"))
    .handler as unknown as HttpHandler;
  const audit = (await import("#functions/audit/handler.ts")).handler as unknown as HttpHandler;
  const unitFigures = (await import("#functions/unit-figures/handler.ts")).handler as unknown as HttpHandler;
  const payments = (await import("#functions/payments/handler.ts")).handler as unknown as HttpHandler;
  await ensureReportsBucket(sqsEndpoint);
  const reports = (await import("#functions/reports/handler.ts")).handler as unknown as HttpHandler;
  const makeReports = (await import("#functions/reports/make-handler.ts")).handler;
  // The example campaigns of data/campaigns/, defined as an admin would, so pledges to them are taken.
  const runtime = await import("#functions/shared/runtime.ts");
  const registry = createCampaignRegistry(runtime.config, runtime.clients);
  const differing = await defineExampleCampaigns({ registry, store: runtime.store });
  if (differing.length > 0)
    say(`kept the stored definitions of ${differing.join(", ")}, which differ from data/campaigns/`);

  const sqs = new SQSClient({
    endpoint: sqsEndpoint,
    region: localRegion,
    credentials: localCredentials,
    useQueueUrlAsEndpoint: false,
  });
  const queueArn =
    (
      await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: resources.queueUrl, AttributeNames: ["QueueArn"] }),
      )
    ).Attributes?.QueueArn ?? "";

  let projected = 0;
  let failed = 0;
  let recordsHandled = 0;
  // What the stack has spent so far, for operator scripts (npm run demo states write units per event).
  // The meter's lifetime, not the per-invocation takes: here many invocations share one process.
  const capacity = setInterval(() => {
    if (dataDir)
      writeFileSync(
        join(dataDir, "capacity.json"),
        `${JSON.stringify({ ...runtime.clients.meter.lifetime(), recordsHandled, at: new Date().toISOString() })}\n`,
      );
  }, 1_000);
  capacity.unref();
  const progress = setInterval(() => {
    if (projected + failed > 0) say(`projector: ${projected} records handled, ${failed} left for retry`);
    projected = 0;
    failed = 0;
  }, 5_000);
  progress.unref();
  const poller = startPoller({
    sqs,
    queueUrl: resources.queueUrl,
    queueArn,
    handler: projector,
    batchSize: options.batchSize ?? 100,
    batchWindowMs: options.batchWindowMs ?? 200,
    concurrency: options.concurrency ?? 2,
    onBatch: (records, failedRecords) => {
      recordsHandled += records - failedRecords;
      projected += records - failedRecords;
      failed += failedRecords;
    },
    onError: (error) =>
      say(`projector poll error: ${error instanceof Error ? error.message : String(error)}`),
  });

  const gateway = await startGateway(
    options.port,
    {
      ingest,
      "campaign-query": query,
      "donation-status": status,
      beneficiaries,
      audit,
      "unit-figures": unitFigures,
      payments,
      reports,
    },
    (error) => say(`gateway error: ${error instanceof Error ? error.message : String(error)}`),
    options.webDir,
    createHostedSignIn(signingKey),
  );

  // The report schedules of the deployed stack, on a local timer, for the example campaigns.
  const stopReports = startReportTimer(
    makeReports,
    exampleCampaigns().map((c) => c.id),
    say,
  );

  let stopped: Promise<void> | undefined;
  return {
    url: gateway.url,
    resources,
    dynamoEndpoint: dynamo.endpoint,
    sqsEndpoint,
    auth: { jwksUri: issuer.jwksUri, signingKey },
    stop() {
      stopped ??= (async () => {
        // Requests in flight get their answer; idle keep-alive connections are closed so close() returns.
        const closed = new Promise<void>((r) => gateway.server.close(() => r()));
        gateway.server.closeIdleConnections();
        await closed;
        stopReports();
        clearInterval(capacity);
        await poller.stop();
        await issuer.stop();
        if (!dataDir) rmSync(keyDir, { recursive: true, force: true });
        clearInterval(progress);
        sqs.destroy();
        await sqsServer.stop();
        await dynamo.stop();
        pids?.remove();
        if (dataDir) rmSync(endpointsFile(dataDir), { force: true });
      })();
      return stopped;
    },
  };
};
