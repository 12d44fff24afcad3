import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { QRPay } from "vietnam-qr-pay";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDonationCode } from "#domain/donation-code.ts";
import type { Issue } from "#domain/errors.ts";
import type { CampaignView } from "#domain/projection.ts";
import type { DonationPledged } from "#events/donation.ts";
import { localCredentials, localRegion } from "#local/emulators.ts";
import { queueDepth } from "#local/queue-depth.ts";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { eventOfLedgerItem } from "#storage/store.ts";
import { defineCampaign } from "../helpers/campaigns.ts";
import { aDonationForm } from "../helpers/events.ts";
import { eventually } from "../helpers/eventually.ts";
import { pdfText } from "../helpers/pdf-text.ts";

/** The whole local product: HTTP gateway, the handler modules, SQS poller, DynamoDB Local. */
let stack: LocalStack;
let sqs: SQSClient;
beforeAll(async () => {
  stack = await startLocalStack({ port: 0, batchWindowMs: 50 });
  sqs = new SQSClient({
    endpoint: stack.sqsEndpoint,
    region: localRegion,
    credentials: localCredentials,
    useQueueUrlAsEndpoint: false,
  });
});
afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

const example = JSON.parse(readFileSync("events/examples/donation-form.json", "utf8"));
const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.url}/v1/donations`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const campaign = async (id: string): Promise<CampaignView> =>
  (await fetch(`${stack.url}/v1/campaigns/${id}`)).json() as Promise<CampaignView>;

const queued = async () => {
  return queueDepth(sqs, stack.resources.queueUrl);
};

describe("donations through the local HTTP API", () => {
  it("given the example form with a fresh eventId, when posted twice, then its amount shows once within 5 s", async () => {
    // Given
    const { id: campaignId } = await defineCampaign(stack, { id: `example-${randomUUID().slice(0, 8)}` });
    const form = { ...example, eventId: randomUUID(), campaignId };
    // When
    const first = await postJson(form);
    const second = await postJson(form);
    // Then
    expect(first.status).toBe(202);
    const answer = (await first.json()) as { donationCode: string };
    expect(answer).toEqual({
      eventId: form.eventId,
      receipt: expect.stringMatching(/^[0-9a-f]{64}$/),
      donationCode: expect.stringMatching(/^KH[0-9A-Z]{9}$/),
    });
    // …and the code a donor types into a bank note, mangled as banks do, finds this pledge's code again
    const mangled = `ung ho ${answer.donationCode.toLowerCase().replace(/(.{4})/g, "$1-")}`;
    expect(findDonationCode(mangled)).toBe(answer.donationCode);
    expect(await second.json()).toMatchObject({ donationCode: answer.donationCode });
    expect(second.status).toBe(202);
    const view = await eventually(
      () => campaign(campaignId),
      (v) => v.pledged.count > 0,
    );
    expect(view.pledged).toEqual({ moneyVnd: example.contribution.amountVnd, inKindVnd: 0, count: 1 });
    expect(view.byDay).toEqual([{ day: "2026-09-05", moneyVnd: 5_000_000, inKindVnd: 0, count: 1 }]);
    expect(view.byUnit[0]?.unitCode).toBe(example.unitCode);
    await postJson(form);
    await new Promise((r) => setTimeout(r, 500));
    expect((await campaign(campaignId)).pledged.count).toBe(1);
  });

  it("answers the same eventId with different content 409, and keeps the first", async () => {
    const { id: campaignId } = await defineCampaign(stack, { id: `conflict-${randomUUID().slice(0, 8)}` });
    const form = aDonationForm({ campaignId });
    expect((await postJson(form)).status).toBe(202);
    await eventually(
      () => campaign(campaignId),
      (v) => v.pledged.count === 1,
    );
    const changed = await postJson({ ...form, contribution: { kind: "money", amountVnd: 9_999_999 } });
    expect(changed.status).toBe(409);
    expect(await changed.json()).toMatchObject({ error: "event_id_conflict" });
    expect((await campaign(campaignId)).pledged.moneyVnd).toBe(500_000);
  });

  it("answers a malformed body 400 listing each problem, and enqueues nothing", async () => {
    // Prepare
    const before = await queued();
    // Act
    const response = await postJson({
      ...example,
      eventId: "42",
      contribution: { kind: "money", amountVnd: -5 },
    });
    // Assess
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; issues: Issue[] };
    expect(body.error).toBe("validation_failed");
    expect(body.issues.map((i) => i.path).sort()).toEqual(["contribution.amountVnd", "eventId"]);
    expect(await queued()).toBe(before);
  });

  it.each([
    ["text/plain", "{}", 415],
    ["application/json", "{not json", 400],
    ["application/json", JSON.stringify({ ...example, message: "x".repeat(40_000) }), 413],
  ])("answers content-type %s with body %#: %i, without internals", async (type, body, status) => {
    const response = await postJson(body, { "content-type": type });
    expect(response.status).toBe(status);
    expect(await response.text()).not.toMatch(/at .*\.ts|Error:|node_modules/);
  });

  it("answers unknown routes 404 and CORS preflights 204", async () => {
    expect((await fetch(`${stack.url}/v1/nothing`)).status).toBe(404);
    const preflight = await fetch(`${stack.url}/v1/donations`, {
      method: "OPTIONS",
      headers: { origin: "https://khuyenhoc.example.vn", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("reads a campaign without pledges as zeros, an unknown one as 404 and a malformed id as 400", async () => {
    const { id } = await defineCampaign(stack, { id: `chua-co-ai-ung-ho-${randomUUID().slice(0, 8)}` });
    expect(await campaign(id)).toMatchObject({ pledged: { moneyVnd: 0, inKindVnd: 0, count: 0 } });
    const unknown = await fetch(`${stack.url}/v1/campaigns/chua-dinh-nghia`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "campaign_not_found" });
    expect((await fetch(`${stack.url}/v1/campaigns/NOT_VALID`)).status).toBe(400);
  });
});

/** The stored event of a ledger row, as the projector wrote it. */
const ledgerEvent = async (eventId: string) => {
  const ddb = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: localRegion,
      credentials: localCredentials,
    }),
  );
  try {
    const { Item } = await ddb.send(
      new GetCommand({ TableName: stack.resources.ledgerTable, Key: { eventId } }),
    );
    return Item === undefined ? undefined : (eventOfLedgerItem(Item) as DonationPledged);
  } finally {
    ddb.destroy();
  }
};

describe("the door, hardened (issue 6)", () => {
  it("given a donor's name, message and goods with emoji, when posted, then 202 and counted with the text unchanged", async () => {
    // Given
    const { id: campaignId } = await defineCampaign(stack, { id: `emoji-${randomUUID().slice(0, 8)}` });
    const form = aDonationForm({
      campaignId,
      donor: { kind: "individual", name: "Lan 🌸", anonymous: false },
      contribution: { kind: "in-kind", description: "Sách giáo khoa 📚", valuationVnd: 300_000 },
      message: "Chúc các em học giỏi 🎓✨",
    });
    // When
    const response = await postJson(form);
    // Then
    expect(response.status).toBe(202);
    const view = await eventually(
      () => campaign(campaignId),
      (v) => v.pledged.count > 0,
    );
    expect(view.pledged).toEqual({ moneyVnd: 0, inKindVnd: 300_000, count: 1 });
    const stored = await ledgerEvent(form.eventId ?? "");
    expect(stored?.data).toMatchObject({
      donor: { name: "Lan 🌸" },
      contribution: { description: "Sách giáo khoa 📚" },
      message: "Chúc các em học giỏi 🎓✨",
    });
  });

  it("given a body whose bytes are not UTF-8, when posted, then 400 malformed_json and nothing queued", async () => {
    // Given
    const before = await queued();
    const text = JSON.stringify(
      aDonationForm({ donor: { kind: "individual", name: "Lan XX", anonymous: false } }),
    );
    const bytes = Buffer.from(text, "utf8");
    const at = bytes.indexOf("XX");
    bytes[at] = 0xff; // never valid in UTF-8
    bytes[at + 1] = 0xc3; // a lead byte without its continuation
    // When
    const response = await fetch(`${stack.url}/v1/donations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bytes,
    });
    // Then
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: "malformed_json",
      message: expect.stringMatching(/UTF-8/),
    });
    expect(await queued()).toBe(before);
  });

  it("given a name holding U+FFFD, the trace of a lenient decoding, when posted, then 400 naming the field", async () => {
    const response = await postJson(
      aDonationForm({ donor: { kind: "individual", name: "Lan \uFFFD", anonymous: false } }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: "malformed_json",
      issues: [{ path: "donor.name", message: expect.any(String) }],
    });
  });

  it("given the same pledge retried with its eventId in upper case, when both are posted, then it is counted once", async () => {
    // Given
    const { id: campaignId } = await defineCampaign(stack, { id: `case-${randomUUID().slice(0, 8)}` });
    const form = aDonationForm({ campaignId });
    // When
    const lower = await postJson(form);
    await eventually(
      () => campaign(campaignId),
      (v) => v.pledged.count > 0,
    );
    const upper = await postJson({ ...form, eventId: form.eventId?.toUpperCase() });
    await new Promise((r) => setTimeout(r, 500));
    // Then
    expect([lower.status, upper.status]).toEqual([202, 202]);
    expect(await upper.json()).toMatchObject({ eventId: form.eventId });
    expect((await campaign(campaignId)).pledged.count).toBe(1);
  });

  it.each([
    ["malformed percent-encoding", "GET", "/v1/campaigns/%ZZ", 400, "malformed_path"],
    ["an unknown route", "GET", "/v1/nothing", 404, "not_found"],
    ["a route's path with the wrong method", "DELETE", "/v1/campaigns/thang-9", 405, "method_not_allowed"],
    ["the donations path with GET", "GET", "/v1/donations", 405, "method_not_allowed"],
  ])("answers %s in the API's error shape", async (_name, method, path, status, code) => {
    const response = await fetch(`${stack.url}${path}`, { method });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: code, message: expect.any(String) });
  });

  it("answers a body over the gateway's limit 413 in the API's error shape", async () => {
    const response = await postJson(`{"pad":"${"x".repeat(1_100_000)}"}`);
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: "payload_too_large", message: expect.any(String) });
  });

  it("given a pledge answered 202, when its status is read with its receipt, then it reads counted, and other content rejected", async () => {
    // Given
    const { id: campaignId } = await defineCampaign(stack, { id: `status-${randomUUID().slice(0, 8)}` });
    const form = aDonationForm({ campaignId });
    const { eventId, receipt } = (await (await postJson(form)).json()) as {
      eventId: string;
      receipt: string;
    };
    const status = (r: string) => fetch(`${stack.url}/v1/donations/${eventId}?receipt=${r}`);
    // When
    const counted = await eventually(
      async () => (await status(receipt)).json() as Promise<{ status?: string }>,
      (b) => b.status === "counted",
    );
    const other = await status("0".repeat(64));
    // Then
    expect(counted).toEqual({ eventId, status: "counted" });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ eventId, status: "rejected", reason: "event_id_conflict" });
    const unknown = await fetch(`${stack.url}/v1/donations/${randomUUID()}?receipt=${receipt}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: "not_found" });
    const noReceipt = await fetch(`${stack.url}/v1/donations/${eventId}`);
    expect(noReceipt.status).toBe(400);
    expect(await noReceipt.json()).toMatchObject({
      error: "validation_failed",
      issues: [{ path: "receipt" }],
    });
  });

  it("given a money pledge to a campaign with a bank account, when projected, then its VietQR names the transfer and its receipt is a PDF", async () => {
    // Given: the example campaigns publish their account; a fresh campaign with one takes the pledge
    const example9 = (await (await fetch(`${stack.url}/v1/campaigns/thang-9-khuyen-hoc-2026`)).json()) as {
      bankAccount?: unknown;
    };
    const bankAccount = { bankBin: "970405", accountNumber: "KHUYENHOCTHU", accountName: "HOI KHUYEN HOC" };
    const { id: campaignId } = await defineCampaign(stack, {
      id: `qr-${randomUUID().slice(0, 8)}`,
      bankAccount,
    });
    const form = aDonationForm({ campaignId, contribution: { kind: "money", amountVnd: 1_500_000 } });
    // When
    const answer = (await (await postJson(form)).json()) as Record<string, string>;
    const receiptOf = () =>
      fetch(`${stack.url}/v1/donations/${answer.eventId}/receipt?receipt=${answer.receipt}`);
    const receipt = await eventually(receiptOf, (r) => r.status === 200);
    // Then
    expect(example9.bankAccount).toMatchObject({ bankBin: expect.stringMatching(/^\d{6}$/) });
    const qr = new QRPay(answer.vietQr);
    expect([qr.isValid, qr.consumer.bankNumber, qr.amount, qr.additionalData.purpose]).toEqual([
      true,
      "KHUYENHOCTHU",
      "1500000",
      answer.donationCode,
    ]);
    expect(receipt.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await receipt.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect((await pdfText(pdf)).join(" ").normalize("NFC")).toContain("Một triệu năm trăm nghìn đồng");
  });
});
