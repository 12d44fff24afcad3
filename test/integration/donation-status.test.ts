import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { donationStatusHandler } from "#functions/donation-status/status.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { createPayments } from "#storage/payments.ts";
import { createProjector } from "#storage/projector.ts";
import { createStatusReader } from "#storage/status-reader.ts";
import { createStore } from "#storage/store.ts";
import { everyCampaignOpen } from "../helpers/campaigns.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aDonationForm, fixedClock } from "../helpers/events.ts";
import { quiet } from "../helpers/projector.ts";

const emulators = useEmulators();
const context = {} as Context;

const post = (body: unknown) =>
  ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const statusRequest = (eventId: string, receipt: string) =>
  ({
    headers: {},
    pathParameters: { eventId },
    queryStringParameters: { receipt },
  }) as unknown as APIGatewayProxyEventV2;

describe("a reused eventId under concurrency", () => {
  it("given two contents posted with one eventId before either is recorded, when projected, then one is counted and the other reads rejected", async () => {
    // Given: both posts meet an empty ledger, as two requests at the same moment do
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients);
    const ingest = ingestHandler(
      store,
      quiet,
      fixedClock(),
      everyCampaignOpen,
      createPayments(config, clients),
    );
    const status = donationStatusHandler(createStatusReader(config, clients), quiet);
    const ask = async (eventId: string, receipt: string) => {
      const response = (await status(
        statusRequest(eventId, receipt),
        context,
      )) as APIGatewayProxyStructuredResultV2;
      return { code: response.statusCode, body: JSON.parse(response.body ?? "{}") };
    };
    const first = aDonationForm({ contribution: { kind: "money", amountVnd: 100_000 } });
    const second = { ...first, contribution: { kind: "money" as const, amountVnd: 900_000 } };
    const answers = await Promise.all(
      [first, second].map(
        async (form) => (await ingest(post(form), context)) as APIGatewayProxyStructuredResultV2,
      ),
    );
    const receipts = answers.map((a) => JSON.parse(a.body ?? "{}").receipt as string);
    const eventId = first.eventId ?? "";
    const before = await ask(eventId, receipts[0] ?? "");

    // When: the projector folds what the queue holds, in one batch (it keeps one content, retries the other)
    const project = createProjector(store, quiet);
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: config.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    await project(
      (received.Messages ?? []).map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "" })),
    );
    const statuses = await Promise.all(receipts.map((r) => ask(eventId, r)));

    // Then
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202]);
    expect(new Set(receipts).size).toBe(2);
    expect(before.code).toBe(404);
    expect(received.Messages).toHaveLength(2);
    expect(statuses.map((s) => s.body.status).sort()).toEqual(["counted", "rejected"]);
    const loser = statuses.find((s) => s.body.status === "rejected");
    expect(loser).toEqual({ code: 200, body: { eventId, status: "rejected", reason: "event_id_conflict" } });
    const winner = statuses.findIndex((s) => s.body.status === "counted");
    const view = await readCampaignView(store, first.campaignId);
    expect(view.pledged).toEqual({ moneyVnd: [100_000, 900_000][winner], inKindVnd: 0, count: 1 });
  });

  it("answers the status in any case of the eventId, and nothing personal", async () => {
    // Prepare
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients);
    const form = aDonationForm();
    const answer = (await ingestHandler(
      store,
      quiet,
      fixedClock(),
      everyCampaignOpen,
      createPayments(config, clients),
    )(post(form), context)) as APIGatewayProxyStructuredResultV2;
    const { receipt } = JSON.parse(answer.body ?? "{}");
    const received = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: config.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    await createProjector(
      store,
      quiet,
    )((received.Messages ?? []).map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "" })));
    // Act
    const response = (await donationStatusHandler(createStatusReader(config, clients), quiet)(
      statusRequest((form.eventId ?? "").toUpperCase(), String(receipt).toUpperCase()),
      context,
    )) as APIGatewayProxyStructuredResultV2;
    // Assess
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body ?? "")).toEqual({ eventId: form.eventId, status: "counted" });
  });
});
