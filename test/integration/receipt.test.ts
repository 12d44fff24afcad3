import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { receiptHandler, settlementFrom } from "#functions/donation-status/receipt.ts";
import { ingestHandler } from "#functions/ingest/ingest.ts";
import { createPayments } from "#storage/payments.ts";
import { createProjector } from "#storage/projector.ts";
import { createStatusReader } from "#storage/status-reader.ts";
import { createStore } from "#storage/store.ts";
import { everyCampaignOpen } from "../helpers/campaigns.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aDonationForm, fixedClock } from "../helpers/events.ts";
import { pdfText } from "../helpers/pdf-text.ts";
import { quiet } from "../helpers/projector.ts";

const emulators = useEmulators();
const context = {} as Context;

const post = (body: unknown) =>
  ({
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  }) as unknown as APIGatewayProxyEventV2;

const receiptRequest = (eventId: string, receipt?: string) =>
  ({
    headers: {},
    routeKey: "GET /v1/donations/{eventId}/receipt",
    pathParameters: { eventId },
    ...(receipt === undefined ? {} : { queryStringParameters: { receipt } }),
  }) as unknown as APIGatewayProxyEventV2;

/** The door, the projector and the receipt on fresh tables and a fresh queue. */
const aPipeline = async () => {
  const { config, clients } = await emulators.fresh();
  const store = createStore(config, clients);
  const payments = createPayments(config, clients);
  const ingest = ingestHandler(store, quiet, fixedClock(), everyCampaignOpen, payments);
  const receipt = receiptHandler(
    {
      reader: createStatusReader(config, clients),
      campaigns: everyCampaignOpen,
      settlementOf: settlementFrom((id) => payments.receivedOf(id)),
    },
    quiet,
  );
  return {
    payments,
    pledge: async (form: unknown) => {
      const answer = (await ingest(post(form), context)) as APIGatewayProxyStructuredResultV2;
      return JSON.parse(answer.body ?? "{}") as { eventId: string; receipt: string; donationCode: string };
    },
    project: async () => {
      const received = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: config.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      await createProjector(
        store,
        quiet,
      )((received.Messages ?? []).map((m) => ({ messageId: m.MessageId ?? "", body: m.Body ?? "" })));
    },
    receipt: async (eventId: string, token?: string) =>
      (await receipt(receiptRequest(eventId, token), context)) as APIGatewayProxyStructuredResultV2,
  };
};

describe("GET /v1/donations/{eventId}/receipt", () => {
  it("given a projected pledge, when asked with its receipt token, then answers its PDF naming donor, amount and code", async () => {
    // Given
    const pipeline = await aPipeline();
    const form = aDonationForm({ contribution: { kind: "money", amountVnd: 1_500_000 } });
    const answer = await pipeline.pledge(form);
    await pipeline.project();
    // When
    const response = await pipeline.receipt(answer.eventId, answer.receipt.toUpperCase());
    // Then
    expect(response.statusCode).toBe(200);
    expect(response.isBase64Encoded).toBe(true);
    expect(response.headers).toMatchObject({
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="bien-nhan-${answer.donationCode}.pdf"`,
      "cache-control": "private, no-store",
    });
    const pdf = Buffer.from(response.body ?? "", "base64");
    const text = (await pdfText(pdf)).join(" ").normalize("NFC").replace(/\s+/g, " ");
    expect(text).toContain(`Số: ${answer.donationCode}`);
    expect(text).toContain("Người ủng hộ: Nguyễn Văn An");
    expect(text).toContain("1.500.000 đ");
    expect(text).toContain("Một triệu năm trăm nghìn đồng");
    expect(text).toContain("Ngày: 05/09/2026");
  });

  it("given transfers matched to the pledge, when its receipt is asked for, then it says received, with what arrived", async () => {
    // Given a pledge of 1,500,000 VND, projected, and two transfers matched to its code (one sent twice)
    const pipeline = await aPipeline();
    const answer = await pipeline.pledge(
      aDonationForm({ contribution: { kind: "money", amountVnd: 1_500_000 } }),
    );
    await pipeline.project();
    const before = await pipeline.receipt(answer.eventId, answer.receipt);
    await pipeline.payments.settle(answer.donationCode, "6b1d7c2e-0000-4000-8000-000000000001", 1_000_000);
    await pipeline.payments.settle(answer.donationCode, "6b1d7c2e-0000-4000-8000-000000000002", 700_000);
    await pipeline.payments.settle(answer.donationCode, "6b1d7c2e-0000-4000-8000-000000000002", 700_000);
    // When
    const after = await pipeline.receipt(answer.eventId, answer.receipt);
    // Then: pledged before any money, received (1,700,000 VND, in words too) after
    const textOf = async (r: APIGatewayProxyStructuredResultV2) =>
      (await pdfText(Buffer.from(r.body ?? "", "base64"))).join(" ").normalize("NFC").replace(/\s+/g, " ");
    expect(await textOf(before)).toContain("chưa xác nhận đã nhận");
    const text = await textOf(after);
    expect(text).toContain("Đã nhận");
    expect(text).toContain("1.700.000 đ");
    expect(text).toContain("Một triệu bảy trăm nghìn đồng");
  });

  it("answers a wrong, missing or other pledge's token, and a pledge not yet in the ledger, as it answers an unknown id", async () => {
    // Given: one pledge projected, another still on the queue
    const pipeline = await aPipeline();
    const counted = await pipeline.pledge(aDonationForm());
    await pipeline.project();
    const queued = await pipeline.pledge(
      aDonationForm({ donor: { kind: "school", name: "Trường A", anonymous: false } }),
    );
    const unknownId = "6b1d7c2e-0000-4000-8000-000000000099";
    // When
    const answers = await Promise.all([
      pipeline.receipt(counted.eventId, "0".repeat(64)),
      pipeline.receipt(counted.eventId),
      pipeline.receipt(counted.eventId, "not-a-token"),
      pipeline.receipt(counted.eventId, queued.receipt),
      pipeline.receipt(queued.eventId, queued.receipt),
      pipeline.receipt(unknownId, counted.receipt),
    ]);
    // Then: the same status and error for each, naming neither donor nor amount
    for (const answer of answers) {
      expect(answer.statusCode).toBe(404);
      expect(JSON.parse(answer.body ?? "{}")).toMatchObject({ error: "not_found" });
      expect(answer.body).not.toContain("Nguyễn");
    }
  });

  it("refuses an eventId that is not a UUID with a 400 naming it", async () => {
    const pipeline = await aPipeline();
    const response = await pipeline.receipt("not-a-uuid", "0".repeat(64));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? "{}")).toMatchObject({ issues: [{ path: "eventId" }] });
  });
});
