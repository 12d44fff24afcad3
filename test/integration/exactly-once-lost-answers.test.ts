import { describe, expect, it } from "vitest";
import { mergeDeltas } from "#domain/projection.ts";
import type { DomainEvent } from "#events/index.ts";
import { loseAnswers } from "#local/faults.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { createProjector } from "#storage/projector.ts";
import { appliedMarker, type ClaimRef, createStore, type Store } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge, deltaFor } from "../helpers/events.ts";
import { applyByHand, drain, messagesOf, quiet, testClock } from "../helpers/projector.ts";

/**
 * The schedules of "executed, answer lost": DynamoDB did the write, the answer never came back, and the
 * SDK (or the projector) sent it again. Each test is one schedule that lost or double-counted events
 * before the protocol read such writes back.
 */

const CAMPAIGN = "thang-9-khuyen-hoc-2026";
const emulators = useEmulators();

const pledges = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    aPledge({
      unitCode: `04${String(200 + (i % 7)).padStart(3, "0")}`,
      occurredAt: `2026-09-0${1 + (i % 5)}T1${i % 10}:00:00+07:00`,
      contribution: { kind: "money", amountVnd: 100_000 + i },
    }),
  );

const readView = async (store: Store) => await readCampaignView(store, CAMPAIGN);
const truthOf = (events: DomainEvent[]) => mergeDeltas(CAMPAIGN, [deltaFor(events)]);

const deferred = () => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe("exactly-once when DynamoDB did the write but its answer was lost", () => {
  it("given the answer to a 25-statement ledger insert is lost, when the SDK re-sends it, then all 30 events count", async () => {
    // Given: the first BatchExecuteStatement executes, its answer is lost, the SDK sends it again
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    let inserts = 0;
    const fault = loseAnswers(clients.ddb, {
      when: ({ command, input }) =>
        command === "BatchExecuteStatementCommand" &&
        (input.Statements as unknown[]).length === 25 &&
        inserts++ === 0,
    });
    const events = pledges(30);
    const messages = messagesOf(events);
    // When: the batch is projected (an invocation that throws leaves its whole batch on the queue), then
    // what is left is redelivered
    const first = await createProjector(
      store,
      quiet,
      clock.now,
    )(messages).catch(() => ({ failed: messages.map((m) => m.messageId), applied: 0 }));
    const left = await drain(
      createProjector(store, quiet, clock.now),
      messages.filter((m) => first.failed.includes(m.messageId)),
      () => clock.advance(config.claimGraceMs + 1),
    );
    // Then: the refused rows named the batch's own claim, so they were counted with it, at once
    expect(fault.stats.lost).toBe(1);
    expect(left).toEqual([]);
    expect(await readView(store)).toEqual(truthOf(events));
    expect(first).toMatchObject({ failed: [], applied: 30 });
  });

  it("given the answer to a reclaim is lost, when the SDK re-sends it and the condition fails, then the event still counts", async () => {
    // Given: five events under a claim whose worker died before applying it
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const events = pledges(5);
    const dead: ClaimRef = { id: "dead1", version: 1, shard: 0, claimedAt: clock.now() };
    await store.insertLedger(events.map((event) => ({ event, claim: dead })));
    clock.advance(config.claimGraceMs + 1);
    let reclaims = 0;
    const fault = loseAnswers(clients.ddb, {
      when: ({ command, input }) =>
        command.startsWith("Update") && input.TableName === config.ledgerTable && reclaims++ === 0,
    });
    // When: the messages come back; one reclaim's answer is lost and its retry is refused
    const left = await drain(createProjector(store, quiet, clock.now), messagesOf(events), () =>
      clock.advance(config.claimGraceMs + 1),
    );
    // Then
    expect(fault.stats.lost).toBe(1);
    expect(left).toEqual([]);
    expect(await readView(store)).toEqual(truthOf(events));
  });

  it("given a fence that arrives after the applied marker was pruned, when it lands, then nothing is counted twice", async () => {
    // Given: E1 under claim C, old enough to fence (a slow worker, or a clock that runs ahead)
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const [e1, e2] = pledges(2);
    if (!e1 || !e2) throw new Error("no events");
    const c: ClaimRef = { id: "slowA1", version: 1, shard: 0, claimedAt: clock.now() };
    const d: ClaimRef = { id: "slowA2", version: 1, shard: 0, claimedAt: clock.now() };
    await store.insertLedger([{ event: e1, claim: c }]);
    clock.advance(config.claimGraceMs + 1);
    const gate = deferred();
    const atFence = deferred();
    const delayedFence: Store = {
      ...store,
      fence: async (claim) => {
        atFence.resolve();
        await gate.promise;
        return store.fence(claim);
      },
    };
    // When: worker B decides to fence C, and its request is delayed; meanwhile A applies C, records it,
    // and prunes C's marker on its next update of the same shard
    const b = createProjector(delayedFence, quiet, clock.now)(messagesOf([e1], "b"));
    await atFence.promise;
    expect(await applyByHand(store, c, [e1])).toEqual(["applied", "applied"]);
    await store.insertLedger([{ event: e2, claim: d }]);
    expect(await applyByHand(store, d, [e2], [appliedMarker(c.id)])).toEqual(["applied", "applied"]);
    gate.resolve();
    const outcome = await b;
    // Then: the fence saw C's record, so B dropped E1 as counted
    expect(outcome).toMatchObject({ failed: [], applied: 0, duplicates: 1 });
    expect(await readView(store)).toEqual(truthOf([e1, e2]));
  });

  it("given two messages of one young claim and a new event in one batch, then the batch is not failed by a duplicate key", async () => {
    // Given: two events of another worker's claim, still young
    const { config, clients } = await emulators.fresh();
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const [y1, y2, fresh] = pledges(3);
    if (!y1 || !y2 || !fresh) throw new Error("no events");
    const live: ClaimRef = { id: "live1", version: 1, shard: 0, claimedAt: clock.now() };
    await store.insertLedger([
      { event: y1, claim: live },
      { event: y2, claim: live },
    ]);
    const messages = messagesOf([y1, y2, fresh]);
    // When
    const outcome = await createProjector(store, quiet, clock.now)(messages);
    // Then: the young ones wait for their worker, the new one counts and its message is deleted
    expect(outcome).toMatchObject({ applied: 1, failed: [messages[0]?.messageId, messages[1]?.messageId] });
    expect(await readView(store)).toEqual(truthOf([fresh]));
  });

  it("given an insert whose outcome stayed unknown, when its row lands after the claim was applied, then the event is moved on and counts", async () => {
    // Given: the ledger insert of one event fails with no answer, and lands only after its batch applied
    // its claim without it (a request can arrive after its caller gave up)
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const events = pledges(4);
    const late = events[0];
    if (!late) throw new Error("no events");
    let delayed: { event: DomainEvent; claim?: ClaimRef } | undefined;
    const losing: Store = {
      ...store,
      insertLedger: async (entries) => {
        delayed = entries.find((e) => e.event.eventId === late.eventId);
        const results = await store.insertLedger(entries.filter((e) => e !== delayed));
        results.set(late.eventId, { result: "unknown", error: new Error("no answer") });
        return results;
      },
    };
    const first = await createProjector(losing, quiet, clock.now)(messagesOf(events));
    if (delayed === undefined) throw new Error("the insert was not seen");
    await store.insertLedger([delayed]);
    // When: its message comes back
    const left = await drain(
      createProjector(store, quiet, clock.now),
      messagesOf(events).filter((m) => first.failed.includes(m.messageId)),
      () => clock.advance(config.claimGraceMs + 1),
    );
    // Then
    expect(first).toMatchObject({ applied: 3 });
    expect(left).toEqual([]);
    expect(await readView(store)).toEqual(truthOf(events));
  });
  it("given statements that report an error after they wrote, when read back, then their events count with the batch", async () => {
    // Given: DynamoDB writes every statement of the first insert request, then answers half of them
    // with an internal error (the statement's outcome is unknown to the caller)
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    let answered = 0;
    clients.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName !== "BatchExecuteStatementCommand" || answered++ > 0) return result;
        const output = result.output as { Responses?: { Error?: unknown }[] };
        output.Responses = (output.Responses ?? []).map((r, i) =>
          i % 2 === 0 ? { Error: { Code: "InternalServerError", Message: "Internal server error" } } : r,
        );
        return result;
      },
      { step: "initialize", name: "statementErrorsAfterWrite" },
    );
    const events = pledges(10);
    // When
    const first = await createProjector(store, quiet, clock.now)(messagesOf(events));
    // Then: read back, the rows named this batch's claim: all ten counted at once, none left
    expect(first).toMatchObject({ failed: [], applied: 10 });
    expect(await readView(store)).toEqual(truthOf(events));
  });

  it("given an event moved from an abandoned claim, when counted, then it counts as the ledger holds it", async () => {
    // Given: the ledger holds the event as first accepted; the message that comes back says another
    // time (a form retried without occurredAt is stamped anew; its content hash does not cover the time)
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const [original] = pledges(1);
    if (!original) throw new Error("no event");
    await store.insertLedger([
      { event: original, claim: { id: "dead2", version: 1, shard: 0, claimedAt: clock.now() } },
    ]);
    clock.advance(config.claimGraceMs + 1);
    const restamped = { ...original, occurredAt: "2026-09-09T23:30:00+07:00" };
    // When
    const outcome = await createProjector(store, quiet, clock.now)(messagesOf([restamped]));
    // Then: the day is the ledger's
    expect(outcome).toMatchObject({ failed: [], applied: 1 });
    expect(await readView(store)).toEqual(truthOf([original]));
  });
  it.each([
    [
      "an apply",
      "UpdateItemCommand",
      (input: Record<string, unknown>) => input.ConditionExpression?.toString().includes("#fence"),
    ],
    ["a fence", "TransactWriteItemsCommand", () => true],
    ["a claim record", "PutItemCommand", () => true],
  ] as const)(
    "given the answer to %s is lost, when the SDK re-sends it, then every event counts once",
    async (_what, command, matches) => {
      // Given: half the events under a claim whose worker died before applying it, half new; every call
      // of the kind loses its first answer
      const { config, clients } = await emulators.fresh({ projectionShards: 1 });
      const clock = testClock();
      const store = createStore(config, clients, clock.now);
      const events = pledges(6);
      await store.insertLedger(
        events
          .slice(0, 3)
          .map((event) => ({ event, claim: { id: "dead3", version: 1, shard: 0, claimedAt: clock.now() } })),
      );
      clock.advance(config.claimGraceMs + 1);
      const seen = new WeakSet<object>();
      const fault = loseAnswers(clients.ddb, {
        when: (call) => {
          if (call.command !== command || !matches(call.input) || seen.has(call.input)) return false;
          seen.add(call.input);
          return true;
        },
      });
      // When
      const left = await drain(createProjector(store, quiet, clock.now), messagesOf(events), () =>
        clock.advance(config.claimGraceMs + 1),
      );
      // Then
      expect(fault.stats.lost).toBeGreaterThan(0);
      expect(left).toEqual([]);
      expect(await readView(store)).toEqual(truthOf(events));
    },
  );
  it("given every statement of a ledger insert throttled once, when projected, then the batch counts in the same invocation", async () => {
    // Given: the first BatchExecuteStatement is refused statement by statement (ThrottlingError), unsent
    const { config, clients } = await emulators.fresh({ projectionShards: 1 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    let calls = 0;
    clients.ddb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "BatchExecuteStatementCommand" || calls++ > 0) return next(args);
        const statements = (args.input as { Statements: unknown[] }).Statements;
        const error = { Code: "ThrottlingError", Message: "Throughput exceeds the current capacity" };
        return {
          output: { Responses: statements.map(() => ({ Error: error })), $metadata: {} },
          response: {},
        };
      },
      { step: "initialize", name: "throttleEveryStatementOnce" },
    );
    const events = pledges(8);
    // When
    const outcome = await createProjector(store, quiet, clock.now)(messagesOf(events));
    // Then: sent again with backoff inside the invocation, not round the queue
    expect(outcome).toMatchObject({ failed: [], applied: 8 });
    expect(await readView(store)).toEqual(truthOf(events));
  });
});
