import { Metrics } from "@aws-lambda-powertools/metrics";
import { DynamoDBClient, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSEvent,
} from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { donationCodeOf } from "#domain/donation-code.ts";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { type BatchReport, projectorHandler } from "#functions/projector/project.ts";
import { batchMetrics } from "#functions/shared/capacity-metrics.ts";
import { RETRY_AFTER_SECONDS } from "#functions/shared/http.ts";
import { loadConfig } from "#storage/config.ts";
import type { Log } from "#storage/log.ts";
import { createStore } from "#storage/store.ts";
import { everyCampaignOpen } from "../helpers/campaigns.ts";
import { aDonationForm, aPledge, fixedClock } from "../helpers/events.ts";

// AWS failures the emulators cannot produce (throttling, timeouts) are staged with aws-sdk-client-mock.
const ddbMock = mockClient(DynamoDBDocumentClient);
const sqsMock = mockClient(SQSClient);
const config = loadConfig({
  LEDGER_TABLE: "ledger",
  PROJECTION_TABLE: "projections",
  QUEUE_URL: "https://sqs.local/q",
  DEAD_LETTER_QUEUE_URL: "https://sqs.local/dlq",
});
const store = createStore(config, {
  ddb: DynamoDBDocumentClient.from(new DynamoDBClient({ region: "ap-southeast-1" })),
  sqs: new SQSClient({ region: "ap-southeast-1" }),
});
const logged: string[] = [];
const log: Log = {
  info: () => undefined,
  warn: (m) => logged.push(m),
  error: (m) => logged.push(m),
};
const context = {} as Context;
const throttled = () =>
  new ProvisionedThroughputExceededException({
    message: "Rate of requests exceeds the allowed throughput",
    $metadata: {},
  });

const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
  ({
    version: "2.0",
    routeKey: "POST /v1/donations",
    rawPath: "/v1/donations",
    rawQueryString: "",
    headers,
    body,
    isBase64Encoded: false,
    requestContext: { http: { method: "POST" } },
  }) as unknown as APIGatewayProxyEventV2;

// The code item is the storage module's business (test/integration/payments.test.ts): here, the first code.
const codes = { claimCode: async (pledge: { eventId: string }) => donationCodeOf(pledge.eventId) };
const ingest = ingestHandler(store, log, fixedClock(), everyCampaignOpen, codes);
const call = async (event: APIGatewayProxyEventV2) =>
  (await ingest(event, context)) as APIGatewayProxyStructuredResultV2;

beforeEach(() => {
  ddbMock.reset();
  sqsMock.reset();
  logged.length = 0;
});

describe("POST /v1/donations edges", () => {
  it.each([
    ["a non-JSON content type", post("{}", { "content-type": "text/plain" }), 415, "unsupported_media_type"],
    ["a body over 32 KB", post(JSON.stringify({ pad: "x".repeat(33 * 1024) })), 413, "payload_too_large"],
    ["a body that is not JSON", post("{campaignId:"), 400, "malformed_json"],
    [
      "an invalid donation",
      post(JSON.stringify({ ...aDonationForm(), unitCode: 5 })),
      400,
      "validation_failed",
    ],
  ])("refuses %s and enqueues nothing", async (_name, event, status, code) => {
    // Act
    const response = await call(event);
    // Assess
    expect(response.statusCode).toBe(status);
    expect(JSON.parse(response.body ?? "")).toMatchObject({ error: code });
    const headers = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(headers["access-control-allow-origin"]).toBe("*");
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("refuses a base64 body whose bytes are not UTF-8 as malformed_json, and enqueues nothing", async () => {
    // Prepare
    const bytes = Buffer.concat([
      Buffer.from('{"donor":{"name":"Lan '),
      Buffer.from([0xc3, 0x28]), // a lead byte followed by no continuation byte
      Buffer.from('"}}'),
    ]);
    // Act
    const response = await call({
      ...post(bytes.toString("base64")),
      isBase64Encoded: true,
    } as APIGatewayProxyEventV2);
    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "")).toMatchObject({ error: "malformed_json", message: /UTF-8/ });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("refuses an unpaired surrogate, which no UTF-8 system can hold, naming the field", async () => {
    // Prepare
    const body = JSON.stringify(aDonationForm({ message: "Chúc \ud83c" }));
    // Act
    const response = await call(post(body));
    // Assess
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "")).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "message", message: expect.stringMatching(/surrogate/) }],
    });
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("queues a pledge with emoji and noncharacters as an ASCII body that parses back to the same text", async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    sqsMock.on(SendMessageCommand).resolves({});
    const name = "Lan 🌸 \uFFFE\uFFFF";
    const body = Buffer.from(
      JSON.stringify(aDonationForm({ donor: { kind: "individual", name, anonymous: false } })),
    );
    // Act
    const response = await call({
      ...post(body.toString("base64")),
      isBase64Encoded: true,
    } as APIGatewayProxyEventV2);
    // Assess
    expect(response.statusCode).toBe(202);
    const sent = sqsMock.commandCalls(SendMessageCommand)[0]?.args[0].input.MessageBody ?? "";
    expect(sent).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(sent).data.donor.name).toBe(name);
  });

  it("lists every issue with its path, and 'is required' with code required for missing fields", async () => {
    const response = await call(
      post(JSON.stringify({ campaignId: "thang-9", contribution: { kind: "money" } })),
    );
    expect(JSON.parse(response.body ?? "").issues).toEqual(
      expect.arrayContaining([
        { path: "unitCode", message: "is required", code: "required" },
        { path: "donor", message: "is required", code: "required" },
        { path: "contribution.amountVnd", message: "is required", code: "required" },
      ]),
    );
  });

  it("says a missing choice (an enum, a kind) is required too, not an invalid value", async () => {
    // Prepare: a donor with no kind, a contribution with no kind to choose between money and goods
    const form = aDonationForm();
    const body = { ...form, donor: { ...form.donor, kind: undefined }, contribution: { amountVnd: 100000 } };
    // Act
    const response = await call(post(JSON.stringify(body)));
    // Assess: both said as missing; a wrong choice is still an invalid value
    expect(response.statusCode).toBe(400);
    const { issues } = JSON.parse(response.body ?? "");
    expect(issues).toContainEqual({ path: "donor.kind", message: "is required", code: "required" });
    expect(issues).toContainEqual({ path: "contribution.kind", message: "is required", code: "required" });
    const wrong = await call(post(JSON.stringify({ ...form, donor: { ...form.donor, kind: "alien" } })));
    expect(JSON.parse(wrong.body ?? "").issues).toContainEqual(
      expect.objectContaining({ path: "donor.kind", code: "invalid_value" }),
    );
  });

  it.each([
    ["the queue (SQS JSON protocol)", "ThrottlingException"],
    ["the queue (SQS query protocol)", "RequestThrottled"],
    ["the queue's KMS key", "KmsThrottled"],
  ])(
    "answers a throttled send to %s 503 busy with Retry-After, naming nothing internal",
    async (_n, name) => {
      // Prepare
      ddbMock.on(GetCommand).resolves({});
      sqsMock.on(SendMessageCommand).rejects(Object.assign(new Error("Rate exceeded"), { name }));
      // Act
      const response = await call(post(JSON.stringify(aDonationForm())));
      // Assess
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body ?? "")).toEqual({ error: "busy", message: expect.any(String) });
      expect(response.headers?.["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
      // A form on another origin may read the header only if CORS exposes it.
      const exposed = Object.entries(response.headers ?? {}).find(
        ([k]) => k.toLowerCase() === "access-control-expose-headers",
      );
      expect(exposed?.[1]).toBe("retry-after");
      expect(response.body).not.toMatch(/Throttl|Rate exceeded|at |sqs|\.ts/i);
    },
  );

  it.each([
    ["a table over its provisioned throughput", throttled()],
    [
      "the account's request limit",
      Object.assign(new Error("Throughput exceeds the account limit"), { name: "RequestLimitExceeded" }),
    ],
    [
      "an on-demand table's throttle",
      Object.assign(new Error("Throughput exceeds the table limit"), { name: "ThrottlingException" }),
    ],
  ])("answers a ledger lookup throttled by %s 503 and enqueues nothing", async (_n, error) => {
    // Prepare
    ddbMock.on(GetCommand).rejects(error);
    // Act
    const response = await call(post(JSON.stringify(aDonationForm())));
    // Assess
    expect(response.statusCode).toBe(503);
    expect(response.headers?.["retry-after"]).toBe(String(RETRY_AFTER_SECONDS));
    expect(sqsMock.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it("answers any other AWS failure a bare 500 that names nothing internal", async () => {
    // Prepare
    ddbMock.on(GetCommand).resolves({});
    sqsMock
      .on(SendMessageCommand)
      .rejects(Object.assign(new Error("queue does not exist"), { name: "QueueDoesNotExist" }));
    // Act
    const response = await call(post(JSON.stringify(aDonationForm())));
    // Assess
    expect(response.statusCode).toBe(500);
    expect(response.headers?.["retry-after"]).toBeUndefined();
    expect(response.body).not.toMatch(/QueueDoesNotExist|does not exist|at |sqs|\.ts/i);
    expect(logged).toContain("request failed");
  });
});

describe("GET /v1/campaigns/{campaignId} edges", () => {
  it("refuses a malformed campaign id with 400 naming the parameter", async () => {
    const query = campaignQueryHandler(store, log, everyCampaignOpen);
    const response = (await query(
      { pathParameters: { campaignId: "Tháng 9" }, headers: {} } as unknown as APIGatewayProxyEventV2,
      context,
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "").issues[0].path).toBe("campaignId");
  });
});

describe("the projector under DynamoDB throttling", () => {
  it("reports every record of the batch for retry instead of losing any", async () => {
    // Prepare
    ddbMock.on(BatchGetCommand).rejects(throttled());
    const records = [aPledge(), aPledge()].map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) }));
    // Act
    const response = await projectorHandler(store, log)({ Records: records } as unknown as SQSEvent, context);
    // Assess
    expect(response?.batchItemFailures).toEqual([{ itemIdentifier: "m0" }, { itemIdentifier: "m1" }]);
  });

  it("reports the batch's counts for metrics, so retries the queue's age metric ignores are still seen", async () => {
    // Prepare
    ddbMock.on(BatchGetCommand).rejects(throttled());
    const records = [aPledge(), aPledge()].map((e, i) => ({ messageId: `m${i}`, body: JSON.stringify(e) }));
    records.push({ messageId: "poison", body: "not json" });
    const reports: BatchReport[] = [];
    // Act
    await projectorHandler(store, log, undefined, (r) => reports.push(r))(
      { Records: records } as unknown as SQSEvent,
      context,
    );
    // Assess: two handed back for redelivery, the poison dead-lettered
    expect(reports).toEqual([{ records: 3, applied: 0, duplicates: 0, deadLettered: 1, failed: 2 }]);
  });
});

describe("projector metrics", () => {
  it("publishes batch size, applied, failed and dead-lettered, with the stage as a dimension", () => {
    // Prepare
    const metrics = new Metrics({
      namespace: "Khuyenhoc",
      serviceName: "khuyenhoc",
      defaultDimensions: { stage: "prod" },
    });
    // Act
    batchMetrics(metrics)({ records: 100, applied: 97, duplicates: 1, deadLettered: 1, failed: 2 });
    const emf = metrics.serializeMetrics();
    // Assess
    expect(emf).toMatchObject({
      stage: "prod",
      ProjectorBatchSize: 100,
      ProjectorApplied: 97,
      ProjectorFailed: 2,
      ProjectorDeadLettered: 1,
    });
    expect(emf._aws.CloudWatchMetrics[0]?.Dimensions[0]).toContain("stage");
  });
});
