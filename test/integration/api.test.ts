import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Issue } from "#domain/errors.ts";
import type { CampaignView } from "#domain/projection.ts";
import { localCredentials, localRegion } from "#local/emulators.ts";
import { type LocalStack, startLocalStack } from "#local/stack.ts";
import { aDonationForm } from "../helpers/events.ts";

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

/** Polls the campaign until `check` holds, for at most 5 s: the promise the product makes. */
const eventually = async <T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> => {
  const deadline = Date.now() + 5_000;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
};

const queued = async () => {
  const out = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: stack.resources.queueUrl,
      AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    }),
  );
  return (
    Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) +
    Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0)
  );
};

describe("donations through the local HTTP API", () => {
  it("given the example form with a fresh eventId, when posted twice, then its amount shows once within 5 s", async () => {
    // Given
    const campaignId = `example-${randomUUID().slice(0, 8)}`;
    const form = { ...example, eventId: randomUUID(), campaignId };
    // When
    const first = await postJson(form);
    const second = await postJson(form);
    // Then
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ eventId: form.eventId });
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
    const campaignId = `conflict-${randomUUID().slice(0, 8)}`;
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
    expect((await fetch(`${stack.url}/v1/donations`)).status).toBe(404);
    const preflight = await fetch(`${stack.url}/v1/donations`, {
      method: "OPTIONS",
      headers: { origin: "https://khuyenhoc.example.vn", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("reads an unknown campaign as zeros and a malformed id as 400", async () => {
    expect(await campaign("chua-co-ai-ung-ho")).toMatchObject({
      pledged: { moneyVnd: 0, inKindVnd: 0, count: 0 },
    });
    expect((await fetch(`${stack.url}/v1/campaigns/NOT_VALID`)).status).toBe(400);
  });
});
