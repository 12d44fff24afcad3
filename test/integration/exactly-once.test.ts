import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { describe, expect, it } from "vitest";
import { mergeDeltas } from "#domain/projection.ts";
import type { DomainEvent } from "#events/index.ts";
import { Crash, dyingStore } from "#local/faults.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { createProjector } from "#storage/projector.ts";
import { createStore, type Store } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge, deltaFor } from "../helpers/events.ts";
import { drain, messagesOf, quiet, testClock } from "../helpers/projector.ts";

const CAMPAIGN = "thang-9-khuyen-hoc-2026";
const emulators = useEmulators();

const manyPledges = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    aPledge({
      unitCode: `04${String(200 + (i % 7)).padStart(3, "0")}`,
      occurredAt: `2026-09-0${1 + (i % 5)}T1${i % 10}:00:00+07:00`,
      contribution:
        i % 4 === 0
          ? { kind: "in-kind", description: "vở", valuationVnd: 10_000 + i }
          : { kind: "money", amountVnd: 100_000 + i },
    }),
  );

/** Everything the projection says about the campaign, to compare with the truth. */
const readView = async (store: Store) => await readCampaignView(store, CAMPAIGN);
const truthOf = (events: DomainEvent[]) => mergeDeltas(CAMPAIGN, [deltaFor(events)]);

describe("exactly-once projection against DynamoDB Local", () => {
  it("given resubmissions in one batch and across batches, when projected, then each event counts once", async () => {
    // Given
    const { config, clients } = await emulators.fresh();
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const project = createProjector(store, quiet, clock.now);
    const events = manyPledges(30);
    const first = messagesOf([...events.slice(0, 20), ...events.slice(0, 5)]);
    const second = messagesOf([...events.slice(15), ...events.slice(3, 8)]).map((m) => ({
      ...m,
      messageId: `again-${m.messageId}`,
    }));
    // When
    const a = await project(first);
    const b = await project(second);
    // Then
    expect(a).toMatchObject({ failed: [], applied: 20, duplicates: 5 });
    expect(b).toMatchObject({ failed: [], applied: 10, duplicates: 10 });
    expect(await readView(store)).toEqual(truthOf(events));
  });

  it.each([0, 1, 2, 3, 4, 5, 6])(
    "given the projector dies at its write #%i, when the batch is redelivered, then every event counts once",
    async (crashAt) => {
      // Given: a batch spanning two campaigns (several claims), some events already counted
      const { config, clients } = await emulators.fresh({ projectionShards: 2 });
      const clock = testClock();
      const store = createStore(config, clients, clock.now);
      const events = [...manyPledges(12), ...manyPledges(4).map((e) => ({ ...e, campaignId: "ngay-2-10" }))];
      const messages = messagesOf(events);
      await createProjector(store, quiet, clock.now)(messages.slice(0, 3));
      // When: one invocation dies mid-way, then SQS redelivers to a healthy one after the visibility timeout
      await createProjector(
        dyingStore(store, crashAt),
        quiet,
        clock.now,
      )(messages).catch((e) => {
        if (!(e instanceof Crash)) throw e;
      });
      clock.advance(config.claimGraceMs + 1);
      const left = await drain(createProjector(store, quiet, clock.now), messages, () =>
        clock.advance(config.claimGraceMs + 1),
      );
      // Then
      expect(left).toEqual([]);
      expect(await readView(store)).toEqual(truthOf(events.filter((e) => e.campaignId === CAMPAIGN)));
      const other = await readCampaignView(store, "ngay-2-10");
      expect(other.pledged.count).toBe(4);
    },
  );

  it("given a slow worker whose claim was fenced, when it finally applies, then nothing is counted twice", async () => {
    // Given: worker A has recorded its claim and stalls before applying it
    const { config, clients } = await emulators.fresh();
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    let release: () => void = () => undefined;
    const stalled = new Promise<void>((r) => {
      release = r;
    });
    let reachedApply: () => void = () => undefined;
    const atApply = new Promise<void>((r) => {
      reachedApply = r;
    });
    const slowStore: Store = {
      ...store,
      apply: async (...args) => {
        reachedApply();
        await stalled;
        return store.apply(...args);
      },
    };
    const events = manyPledges(8);
    const messages = messagesOf(events);
    const slow = createProjector(slowStore, quiet, clock.now)(messages);
    await atApply;
    // When: the messages are redelivered to worker B after the grace period, then A wakes up
    clock.advance(config.claimGraceMs + 1);
    const b = await createProjector(store, quiet, clock.now)(messages);
    release();
    const a = await slow;
    // Then: B counted them; A's claim was fenced, so A asks for a retry that finds them counted
    expect(b).toMatchObject({ failed: [], applied: 8 });
    expect(a.applied).toBe(0);
    expect(a.failed).toHaveLength(8);
    const again = await createProjector(store, quiet, clock.now)(messages);
    expect(again).toMatchObject({ failed: [], applied: 0, duplicates: 8 });
    expect(await readView(store)).toEqual(truthOf(events));
  });

  it("given a young claim of another worker, when its event arrives again, then it waits instead of fencing", async () => {
    const { config, clients } = await emulators.fresh();
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const [event] = manyPledges(1);
    if (!event) throw new Error("no event");
    await store.insertLedger([
      { event, claim: { id: "live1", version: 1, shard: 0, claimedAt: clock.now() } },
    ]);
    const outcome = await createProjector(store, quiet, clock.now)(messagesOf([event]));
    expect(outcome.failed).toHaveLength(1);
    expect((await readView(store)).pledged.count).toBe(0);
  });

  it("given a reuse of an eventId ahead of its abandoned original in one batch, then the original counts", async () => {
    // Given: the original is in the ledger under a claim whose worker died before applying it
    const { config, clients } = await emulators.fresh();
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const [original] = manyPledges(1);
    if (!original) throw new Error("no event");
    const reuse = {
      ...original,
      data: { ...original.data, contribution: { kind: "money" as const, amountVnd: 7_000 } },
      source: { ...original.source, contentHash: "f".repeat(64) },
    };
    await store.insertLedger([
      { event: original, claim: { id: "dead1", version: 1, shard: 0, claimedAt: clock.now() } },
    ]);
    clock.advance(config.claimGraceMs + 1);
    const batch = [
      { messageId: "reuse", body: JSON.stringify(reuse) },
      { messageId: "original", body: JSON.stringify(original) },
    ];
    // When: the batch is delivered, and what it leaves is delivered again
    const first = await createProjector(store, quiet, clock.now)(batch);
    const second = await createProjector(
      store,
      quiet,
      clock.now,
    )(batch.filter((m) => first.failed.includes(m.messageId)));
    // Then: the ledger's content won: the reuse was dead-lettered, the original counted, nothing is left
    expect(first).toMatchObject({ failed: ["original"], applied: 0, deadLettered: 1 });
    expect(second).toMatchObject({ failed: [], applied: 1, deadLettered: 0 });
    expect(await readView(store)).toEqual(truthOf([original]));
  });

  it("dead-letters malformed messages and reused eventIds with their reason, and counts the rest", async () => {
    // Prepare
    const { config, clients } = await emulators.fresh();
    const store = createStore(config, clients);
    const [good, original] = manyPledges(2);
    if (!good || !original) throw new Error("no events");
    const reused = { ...original, source: { ...original.source, contentHash: "f".repeat(64) } };
    await createProjector(store, quiet)(messagesOf([original]));
    // Act
    const outcome = await createProjector(
      store,
      quiet,
    )([
      { messageId: "not-json", body: "{oops" },
      { messageId: "not-an-event", body: JSON.stringify({ ...good, type: "DonationLost" }) },
      { messageId: "reused", body: JSON.stringify(reused) },
      { messageId: "good", body: JSON.stringify(good) },
    ]);
    // Assess
    expect(outcome).toMatchObject({ failed: [], applied: 1, deadLettered: 3 });
    const dlq = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ["All"],
      }),
    );
    const reasons = (dlq.Messages ?? []).map((m) => m.MessageAttributes?.reason?.StringValue ?? "").sort();
    expect(reasons).toEqual([
      `conflict: eventId ${original.eventId} was reused with different content`,
      "malformed: body is not JSON",
      expect.stringMatching(/^malformed: type: /),
    ]);
    expect((await readView(store)).pledged.count).toBe(2);
  });
});
