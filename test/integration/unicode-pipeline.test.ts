import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Issue } from "#domain/errors.ts";
import type { DonationPledged } from "#events/donation.ts";
import { type Pipeline, startPipeline } from "#local/pipeline.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { createStore, eventOfLedgerItem } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aDonationForm } from "../helpers/events.ts";

/**
 * Arbitrary Unicode in every free-text field, through the local HTTP gateway, the ingest handler, the
 * queue and the projector into the ledger: each pledge is 202 and stored with its text unchanged, or
 * 400 naming the field; never 5xx.
 */
const emulators = useEmulators();
let pipeline: Pipeline;
let config: Config;
let clients: Clients;
beforeAll(async () => {
  ({ config, clients } = await emulators.fresh());
  pipeline = await startPipeline({ config, clients, httpPort: 0, batchWindowMs: 20 });
});
afterAll(async () => {
  await pipeline?.stop();
});

const FREE_TEXT = ["donor.name", "message", "contribution.description", "contribution.valuationBasis"];

/**
 * Graphemes of every kind and any code point, with what SQS or JSON find hard: noncharacters, NUL,
 * combining marks, emoji sequences; rarely (so that most pledges are valid) an unpaired surrogate or
 * U+FFFD, which the door refuses.
 */
const unit = fc.oneof(
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }), weight: 40 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }), weight: 20 },
  {
    arbitrary: fc.constantFrom("\uFFFE", "\uFFFF", "\u0000", "🌸", "👩‍👩‍👧", "e\u0301", "\u0323\u0302", " "),
    weight: 10,
  },
  { arbitrary: fc.constantFrom("\uD800", "\uDFFF", "\uFFFD"), weight: 1 },
);
const text = fc.string({ unit, minLength: 1, maxLength: 24 });

const storedEvent = async (eventId: string): Promise<DonationPledged | undefined> => {
  const { Item } = await clients.ddb.send(
    new GetCommand({ TableName: config.ledgerTable, Key: { eventId } }),
  );
  return Item === undefined ? undefined : (eventOfLedgerItem(Item) as DonationPledged);
};

/** Polls the pledge's status route until it is counted, for at most 5 s. */
const counted = async (eventId: string, receipt: string): Promise<boolean> => {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${pipeline.url}/v1/donations/${eventId}?receipt=${receipt}`);
    if (response.status === 200 && ((await response.json()) as { status: string }).status === "counted")
      return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
};

describe("arbitrary Unicode in every free-text field", () => {
  it("is 202 and counted with the text unchanged, or 400 naming the field; never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, text, async (name, message, description, basis) => {
        // Given
        const form = aDonationForm({
          donor: { kind: "individual", name, anonymous: false },
          contribution: { kind: "in-kind", description, valuationVnd: 120_000, valuationBasis: basis },
          message,
        });
        // When
        const response = await fetch(`${pipeline.url}/v1/donations`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(form),
        });
        // Then
        expect([202, 400]).toContain(response.status);
        if (response.status === 400) {
          const { issues } = (await response.json()) as { issues: Issue[] };
          expect(issues.length).toBeGreaterThan(0);
          for (const issue of issues) expect(FREE_TEXT).toContain(issue.path);
          return;
        }
        const { eventId, receipt } = (await response.json()) as { eventId: string; receipt: string };
        expect(await counted(eventId, receipt)).toBe(true);
        const stored = await storedEvent(eventId);
        // The contract trims surrounding white space; everything else is kept as sent.
        expect(stored?.data).toEqual({
          donor: { kind: "individual", name: name.trim(), anonymous: false },
          contribution: {
            kind: "in-kind",
            description: description.trim(),
            valuationVnd: 120_000,
            valuationBasis: basis.trim(),
          },
          message: message.trim(),
        });
      }),
      {
        numRuns: 50,
        examples: [
          ["Lan 🌸", "Chúc các em 🎓", "Sách 📚", "\uFFFE\uFFFF"],
          ["A\u0000B", "e\u0301", "vở", "\uD83C"],
        ],
      },
    );
  });
});

describe("a dead-lettered message with a long reason", () => {
  it("given a reason whose cut splits an emoji, when dead-lettered, then the queue takes it and the body is kept as sent", async () => {
    // Given
    const store = createStore(config, clients);
    const body = '{"tên":"Lan"}';
    // When
    await store.deadLetter(body, `malformed: ${"x".repeat(988)}🌸 and more`);
    // Then
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.deadLetterQueueUrl,
        MessageAttributeNames: ["All"],
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages?.[0]?.Body).toBe(body);
    // SQS refuses an unpaired surrogate in an attribute; the emulator lets it through, so check what was sent.
    expect(Messages?.[0]?.MessageAttributes?.reason?.StringValue).toMatch(/^[\x20-\x7e]*$/);
    expect(Messages?.[0]?.MessageAttributes?.reason?.StringValue).toBe(
      `malformed: ${"x".repeat(988)}\\ud83c`,
    );
  });
});
