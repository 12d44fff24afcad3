import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { mergeDeltas } from "#domain/projection.ts";
import { projections } from "#domain/projections/index.ts";
import type { DomainEvent } from "#events/index.ts";
import { prng } from "#local/chaos/random.ts";
import { Crash, loseAnswers, type Random } from "#local/faults.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import { type BatchOutcome, createProjector, type InboundMessage } from "#storage/projector.ts";
import { createStore, type Store } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge, deltaFor } from "../helpers/events.ts";
import { assessmentRecorded, granted, grantFacts, sponsorshipStarted } from "../helpers/family-events.ts";
import { type Folded, fold } from "../helpers/fold-contributions.ts";
import { drain, messagesOf, quiet, testClock } from "../helpers/projector.ts";

/**
 * A deterministic scheduler over real DynamoDB Local: two or three projector invocations of one batch
 * (the first delivery, and SQS redeliveries of some of its messages while it still runs) advance one
 * store call at a time, in an order a seeded generator chooses; at every step the call may crash its
 * invocation, execute with its answer lost (to the projector, or to the SDK, which sends it again), and
 * the clock may jump past the grace period, so fences meet live claims. Afterwards SQS's rule decides
 * what is left (a message is gone once any invocation that did not die reported it done), a healthy
 * projector drains the rest, and the campaign must equal the fold of its events, exactly.
 */

const emulators = useEmulators();
const SCHEDULES = 200;
const FAMILY_SCHEDULES = 100;
const MAX_STEPS = 150;

/** A projector's answer lost after the call did its work, once the SDK has given up retrying. */
class LostAnswer extends Error {
  override readonly name = "TimeoutError";
}

type Mode = "run" | "crash" | "lose" | "sdk-lose";

interface Waiting {
  readonly invocation: number;
  readonly seq: number;
  readonly release: (mode: Mode) => Promise<void>;
}

interface Invocation {
  readonly id: number;
  readonly messages: readonly InboundMessage[];
  dead: boolean;
  done: boolean;
  outcome?: BatchOutcome;
}

const pick = <T>(rand: Random, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
};

const tick = () => new Promise<void>((r) => setImmediate(r));

/** What the schedules did, so the test can show it explored more than the happy path. */
const tally: Record<string, number> = {};
const count = (what: string) => {
  tally[what] = (tally[what] ?? 0) + 1;
};

/** Six pledges to two campaigns: two claims per item kind, so an invocation has more steps to interleave. */
const pledgesOf = (seed: number) => {
  const campaigns = [`lich-${seed}-a`, `lich-${seed}-b`];
  return Array.from({ length: 6 }, (_, i) =>
    aPledge({
      campaignId: campaigns[i % 2],
      unitCode: `04${200 + (i % 3)}`,
      occurredAt: `2026-09-0${1 + (i % 2)}T10:00:00+07:00`,
      contribution: { kind: "money", amountVnd: 10_000 * (i + 1) },
    }),
  );
};

/**
 * One event of every family: a person supported in two communes of one province (one person there, two
 * lượt), support in an old Yên Bái commune (historic and current partitions), a sponsorship, an
 * assessment (distinct counts only) and a pledge.
 */
const familiesOf = (seed: number): DomainEvent[] => {
  const person = {
    type: "beneficiary" as const,
    beneficiaryId: randomUUID(),
    beneficiaryKind: "student" as const,
  };
  const subject = { kind: "learning-family" as const, subjectId: randomUUID() };
  return [
    granted(grantFacts({ recipient: person, unitCode: "02647", occurredAt: "2026-09-05T09:00:00+07:00" })),
    granted(grantFacts({ recipient: person, unitCode: "02671", occurredAt: "2026-09-06T09:00:00+07:00" })),
    granted(
      grantFacts({ unitCode: "04252", occurredAt: "2018-09-05T09:00:00+07:00", moneyVnd: 500_000 + seed }),
    ),
    sponsorshipStarted(randomUUID(), randomUUID(), "2026-09-05T08:00:00+07:00", "02647"),
    assessmentRecorded(subject, 2026, true, "02671"),
    aPledge({ campaignId: `lich-${seed}-f`, unitCode: "02647" }),
  ];
};

const runSchedule = async (
  seed: number,
  base: Store,
  sdk: { lose: boolean },
  clock: ReturnType<typeof testClock>,
  events: readonly DomainEvent[],
) => {
  const rand = prng(seed);
  const first = events[0];
  if (!first) throw new Error("no events");
  // A resubmission of the first event rides along, as its own message.
  const messages = [...messagesOf([...events], `s${seed}-`), ...messagesOf([first], `s${seed}-again-`)];

  const waiting: Waiting[] = [];
  let seq = 0;
  let free = false;
  const invocations: Invocation[] = [];
  const running: Promise<void>[] = [];

  const scheduled = (invocation: Invocation): Store => {
    const wrapped: Record<string, unknown> = { ...base };
    for (const [name, fn] of Object.entries(base)) {
      if (typeof fn !== "function") continue;
      wrapped[name] = async (...args: unknown[]) => {
        if (invocation.dead) throw new Crash("the invocation died");
        let mode: Mode = "run";
        if (!free) {
          let finished: () => void = () => undefined;
          const done = new Promise<void>((r) => {
            finished = r;
          });
          mode = await new Promise<Mode>((resolve) => {
            waiting.push({
              invocation: invocation.id,
              seq: seq++,
              release: (m) => {
                resolve(m);
                return done;
              },
            });
          });
          try {
            return await perform(invocation, mode, () =>
              (fn as (...a: unknown[]) => Promise<unknown>).apply(base, args),
            );
          } finally {
            finished();
          }
        }
        return (fn as (...a: unknown[]) => Promise<unknown>).apply(base, args);
      };
    }
    return wrapped as unknown as Store;
  };

  const perform = async (invocation: Invocation, mode: Mode, call: () => Promise<unknown>) => {
    if (mode === "crash") {
      invocation.dead = true;
      throw new Crash("the invocation died here");
    }
    sdk.lose = mode === "sdk-lose";
    let result: unknown;
    try {
      result = await call();
    } finally {
      sdk.lose = false;
    }
    if (mode === "lose") throw new LostAnswer("the call was done, its answer lost");
    return result;
  };

  const start = (batch: readonly InboundMessage[]) => {
    const invocation: Invocation = { id: invocations.length, messages: batch, dead: false, done: false };
    invocations.push(invocation);
    running.push(
      createProjector(
        scheduled(invocation),
        quiet,
        clock.now,
      )(batch)
        .then((outcome) => {
          invocation.outcome = outcome;
        })
        .catch(() => {
          // An invocation that throws reports nothing: Lambda leaves its whole batch on the queue.
        })
        .finally(() => {
          invocation.done = true;
        }),
    );
  };

  // Between two steps only in-memory work runs, so a few quiet turns of the event loop settle it.
  const settle = async () => {
    let last = -1;
    for (let stable = 0; stable < 3; ) {
      await tick();
      const now = waiting.length * 1000 + invocations.filter((i) => i.done).length;
      stable = now === last ? stable + 1 : 0;
      last = now;
    }
  };

  start(messages);
  for (let step = 0; step < MAX_STEPS; step++) {
    await settle();
    if (invocations.every((i) => i.done)) break;
    if (invocations.length < 3 && rand() < 0.12) {
      start(messages.filter(() => rand() < 0.6));
      continue;
    }
    if (rand() < 0.25) {
      count("clock jump");
      clock.advance(base.config.claimGraceMs + 1);
    }
    if (waiting.length === 0) continue;
    waiting.sort((a, b) => a.invocation - b.invocation || a.seq - b.seq);
    const next = pick(rand, waiting);
    waiting.splice(waiting.indexOf(next), 1);
    const r = rand();
    const mode: Mode = r < 0.05 ? "crash" : r < 0.12 ? "lose" : r < 0.3 ? "sdk-lose" : "run";
    count(mode);
    await next.release(mode);
  }
  free = true;
  for (const w of waiting.splice(0)) void w.release("run");
  await Promise.all(running);

  // SQS: a message is deleted once an invocation that lived to answer did not report it failed.
  const deleted = new Set<string>();
  for (const i of invocations) {
    if (i.dead || i.outcome === undefined) continue;
    for (const m of i.messages) if (!i.outcome.failed.includes(m.messageId)) deleted.add(m.messageId);
  }
  clock.advance(base.config.claimGraceMs + 1);
  const left = await drain(
    createProjector(base, quiet, clock.now),
    messages.filter((m) => !deleted.has(m.messageId)),
    () => clock.advance(base.config.claimGraceMs + 1),
  );
  return { left, invocations: invocations.length };
};

/** Every partition the events move, read whole: what the projection holds there now. */
const readAll = async (store: Store, partitions: Iterable<string>) => {
  const out = new Map<string, Map<string, Record<string, number>>>();
  for (const partition of partitions) out.set(partition, await store.readPartition(partition));
  return out;
};

/** What `after` holds beyond `before`, item by item, zero counters left out. */
const difference = (before: Folded, after: Folded): Folded => {
  const out: Folded = new Map();
  for (const [partition, items] of after) {
    const diffItems = new Map<string, Record<string, number>>();
    for (const [item, counters] of items) {
      const was = before.get(partition)?.get(item) ?? {};
      const diff: Record<string, number> = {};
      for (const [name, value] of Object.entries(counters))
        if (value !== (was[name] ?? 0)) diff[name] = value - (was[name] ?? 0);
      if (Object.keys(diff).length > 0) diffItems.set(item, diff);
    }
    if (diffItems.size > 0) out.set(partition, diffItems);
  }
  return out;
};

/** The registry's fold of these events, empty items and zero counters left out. */
const truthOf = (events: readonly DomainEvent[]): Folded => {
  const all = fold(projections, events);
  for (const [partition, items] of all) {
    for (const [item, counters] of items) {
      for (const [name, value] of Object.entries(counters)) if (value === 0) delete counters[name];
      if (Object.keys(counters).length === 0) items.delete(item);
    }
    if (items.size === 0) all.delete(partition);
  }
  return all;
};

describe("exactly-once under every interleaving a seeded scheduler tries", () => {
  it(`given ${SCHEDULES} schedules of two or three invocations with crashes, lost answers and clock jumps, then every campaign equals its truth`, async () => {
    // Given
    const { config, clients } = await emulators.fresh({ projectionShards: 2 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const sdk = { lose: false };
    const seen = new WeakSet<object>();
    // In an "sdk-lose" step, the first attempt of every DynamoDB call of that step loses its answer.
    const sdkLost = loseAnswers(clients.ddb, {
      when: ({ input }) => {
        if (!sdk.lose || seen.has(input)) return false;
        seen.add(input);
        return true;
      },
    });
    let redelivered = 0;
    const failures: string[] = [];
    for (let seed = 1; seed <= SCHEDULES; seed++) {
      // When
      const events = pledgesOf(seed);
      const campaigns = [...new Set(events.map((e) => e.campaignId))];
      const result = await runSchedule(seed, store, sdk, clock, events);
      redelivered += result.invocations - 1;
      const views = await Promise.all(campaigns.map(async (c) => await readCampaignView(store, c)));
      const truths = campaigns.map((c) => mergeDeltas(c, [deltaFor(events, c)]));
      if (!isDeepStrictEqual(views, truths) || result.left.length > 0)
        failures.push(
          `seed ${seed}: counts ${views.map((v) => v.pledged.count).join("+")} ` +
            `(truth ${truths.map((t) => t.pledged.count).join("+")}), ` +
            `${result.left.length} message(s) never done`,
        );
    }
    // Then: every schedule ends with each event counted once, and the faults really happened
    expect(failures).toEqual([]);
    expect(redelivered).toBeGreaterThan(0);
    expect(sdkLost.stats.lost).toBeGreaterThan(0);
    for (const what of ["run", "crash", "lose", "sdk-lose", "clock jump"])
      expect(tally[what] ?? 0, what).toBeGreaterThan(0);
  });

  it(`given ${FAMILY_SCHEDULES} such schedules over support, sponsorship, assessment and pledge events, then every partition moves by exactly the fold of its events`, async () => {
    // Given: shared unit partitions, so each schedule is judged by what it added to them
    const { config, clients } = await emulators.fresh({ projectionShards: 2 });
    const clock = testClock();
    const store = createStore(config, clients, clock.now);
    const sdk = { lose: false };
    const seen = new WeakSet<object>();
    const sdkLost = loseAnswers(clients.ddb, {
      when: ({ input }) => {
        if (!sdk.lose || seen.has(input)) return false;
        seen.add(input);
        return true;
      },
    });
    const failures: string[] = [];
    for (let seed = 1; seed <= FAMILY_SCHEDULES; seed++) {
      const events = familiesOf(seed);
      const truth = truthOf(events);
      const before = await readAll(store, truth.keys());
      // When
      const result = await runSchedule(seed + 10_000, store, sdk, clock, events);
      // Then
      const moved = difference(before, await readAll(store, truth.keys()));
      if (!isDeepStrictEqual(moved, truth) || result.left.length > 0) {
        const differing = [...new Set([...moved.keys(), ...truth.keys()])].filter(
          (p) => !isDeepStrictEqual(moved.get(p), truth.get(p)),
        );
        const shown = (f: Folded, p: string) => JSON.stringify(Object.fromEntries(f.get(p) ?? []));
        failures.push(
          `seed ${seed}: ${differing.map((p) => `${p} moved ${shown(moved, p)}, truth ${shown(truth, p)}`).join("; ")}; ${result.left.length} left`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(sdkLost.stats.lost).toBeGreaterThan(0);
    // A hundred schedules through every registered projection: minutes on a busy 2-core machine.
  }, 240_000);
});
