import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { campaignPartition, campaignViewOf } from "#domain/projections/campaign-pledges.ts";
import { createFolder, type Folded, fold } from "#domain/projections/fold.ts";
import { projections } from "#domain/projections/index.ts";
import type { DomainEvent } from "#events/index.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { createProjector } from "#storage/projector.ts";
import {
  deleteProjectionVersion,
  REBUILT_AT,
  RebuildError,
  type RebuildProgress,
  RebuildRefused,
  rebuildProjections,
  SUMMED_ITEM,
} from "#storage/rebuild.ts";
import { claimOn, createStore, type Store } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge } from "../helpers/events.ts";
import {
  assessmentRecorded,
  assessmentRegistered,
  corrected,
  granted,
  grantFacts,
  revoked,
  sponsorshipEnded,
  sponsorshipStarted,
} from "../helpers/family-events.ts";
import { drain, messagesOf, quiet, testClock } from "../helpers/projector.ts";

const emulators = useEmulators();

const CAMPAIGNS = ["thang-9-khuyen-hoc-2026", "ngay-2-10"] as const;
// Wards of the city of Yên Bái (province 15 before the 2025 reform), a commune of old Lào Cai (province
// 10 then, in today's 15), and a commune of today's province 15.
const YEN_THINH = "04249";
const YEN_NINH = "04252";
const DUYEN_HAI = "02635";
const TODAY_COMMUNE = "02647";

/**
 * Events of every registered projection: pledges to two campaigns; one student supported twice in 2018 in
 * two wards of Yên Bái, another in old Lào Cai, one grant corrected and one revoked, and a 2026 grant in
 * today's units; a sponsorship started and ended; a family registered and assessed.
 */
const familyEvents = (): DomainEvent[] => {
  const student = {
    type: "beneficiary" as const,
    beneficiaryId: randomUUID(),
    beneficiaryKind: "student" as const,
  };
  const other = {
    type: "beneficiary" as const,
    beneficiaryId: randomUUID(),
    beneficiaryKind: "teacher" as const,
  };
  const toCorrect = grantFacts({ unitCode: YEN_NINH, recipient: other, moneyVnd: 300_000 });
  const toRevoke = grantFacts({ unitCode: DUYEN_HAI, moneyVnd: 450_000 });
  const family = { kind: "learning-family" as const, subjectId: randomUUID() };
  const [teacher, pupil] = [randomUUID(), randomUUID()];
  return [
    ...Array.from({ length: 6 }, (_, i) =>
      aPledge({
        campaignId: CAMPAIGNS[i % 2],
        unitCode: i % 3 === 0 ? YEN_THINH : YEN_NINH,
        occurredAt: `2026-09-0${1 + (i % 4)}T10:00:00+07:00`,
        contribution:
          i % 3 === 2
            ? { kind: "in-kind", description: "vở", valuationVnd: 20_000 + i }
            : { kind: "money", amountVnd: 100_000 + i },
      }),
    ),
    granted(grantFacts({ unitCode: YEN_THINH, recipient: student, moneyVnd: 500_000 })),
    granted(grantFacts({ unitCode: YEN_NINH, recipient: student, moneyVnd: 700_000 })),
    granted(grantFacts({ unitCode: DUYEN_HAI, recipient: other, inKindVnd: 80_000 })),
    granted(toCorrect),
    corrected(toCorrect, { reason: "hardship", moneyVnd: 350_000, inKindVnd: 0 }),
    granted(toRevoke),
    revoked(toRevoke),
    granted(
      grantFacts({ unitCode: TODAY_COMMUNE, recipient: student, occurredAt: "2026-10-02T09:00:00+07:00" }),
    ),
    sponsorshipStarted(teacher, pupil, "2026-09-05T08:00:00+07:00", YEN_NINH),
    sponsorshipEnded(teacher, pupil, "2026-12-01T08:00:00+07:00", YEN_NINH),
    assessmentRegistered(family, 2024, YEN_THINH),
    assessmentRecorded(family, 2024, true, YEN_THINH),
  ];
};

type Env = { config: Config; clients: Clients };

const put = (env: Env, table: string, items: readonly Record<string, unknown>[]) =>
  Promise.all(items.map((Item) => env.clients.ddb.send(new PutCommand({ TableName: table, Item }))));

/** The claim a seeded ledger row names: one per event. */
const claimIdOf = (event: DomainEvent) => `c${event.eventId.slice(0, 8)}`;

/** The batch records of the seeded events' claims, as a projector writes once it applied them. */
const recordClaims = (env: Env, events: readonly DomainEvent[]) =>
  put(
    env,
    env.config.projectionTable,
    events.map((event) => ({ pk: `claim#${claimIdOf(event)}`, sk: "r", events: 1, items: 1, appliedAt: 1 })),
  );

/**
 * Ledger rows as the projector writes them: the event as JSON text, and for those that move a projection a
 * claim `<claimId>/<version>/<shard>/<claimedAt>`. Plus a row without an event, which the rebuild skips.
 */
const seedLedger = (env: Env, events: readonly DomainEvent[], claimedAt = 0) =>
  put(env, env.config.ledgerTable, [
    ...events.map((event) => ({
      eventId: event.eventId,
      contentHash: event.source.contentHash,
      event: JSON.stringify(event),
      ...(projections.some((p) => p.contributions(event).length > 0)
        ? { claim: `${claimIdOf(event)}/1/0/${claimedAt}` }
        : {}),
    })),
    { eventId: randomUUID(), contentHash: "0".repeat(64) },
  ]);

/**
 * A folded projection written as the engine leaves a live version: each item's counters spread over two
 * shards, string claim markers on them, claim records and member rows beside them.
 */
const seedLive = (env: Env, folded: Folded, version = 1) =>
  put(env, env.config.projectionTable, [
    ...[...folded].flatMap(([partition, items]) => [
      { pk: partition, sk: "claim#old1", events: 3, appliedAt: 1 },
      ...[...items].flatMap(([item, counters]) =>
        [0, 1].map((shard) => ({
          pk: partition,
          sk: `v${version}#${item}#s${shard}`,
          [shard === 0 ? "a#old2" : "f#old3"]: "1764300000000",
          ...Object.fromEntries(Object.entries(counters).filter((_, i) => i % 2 === shard)),
        })),
      ),
    ]),
    { pk: `m#${randomUUID()}`, sk: "m", "sup#VN#h#2018": "old1" },
  ]);

/** Every item of a version, as stored. */
const versionItems = async (env: Env, version: number) =>
  (
    await env.clients.ddb.send(
      new ScanCommand({
        TableName: env.config.projectionTable,
        FilterExpression: "begins_with(sk, :v)",
        ExpressionAttributeValues: { ":v": `v${version}#` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

const markersOf = (items: Record<string, unknown>[]) =>
  items.flatMap((item) => Object.keys(item).filter((k) => k.startsWith("a#") || k.startsWith("f#")));

/**
 * A partition as it can be compared whatever order its events were folded in: `add` counters item by item,
 * `firsts` counters (named by the fold) summed over the partition, as the rebuild compares them.
 */
const comparable = (items: ReadonlyMap<string, Record<string, number>>, firsts: ReadonlySet<string>) => {
  const byItem: Record<string, Record<string, number>> = {};
  const summed: Record<string, number> = {};
  for (const [item, counters] of items) {
    byItem[item] = {};
    for (const [name, value] of Object.entries(counters)) {
      if (firsts.has(name)) summed[name] = (summed[name] ?? 0) + value;
      else byItem[item][name] = value;
    }
  }
  return { byItem, summed };
};

const itemCount = (folded: Folded) => [...folded.values()].reduce((sum, items) => sum + items.size, 0);

/** A fold of `events` whose `firsts` counters are all moved to the first item of their partition. */
const firstsOnFirstItem = (events: readonly DomainEvent[]): Folded => {
  const folder = createFolder(projections);
  for (const event of events) folder.add(event);
  for (const [partition, items] of folder.folded) {
    const [first, ...rest] = [...items.keys()].sort();
    const into = first === undefined ? undefined : items.get(first);
    for (const name of folder.firstsCounters.get(partition) ?? []) {
      for (const item of rest) {
        const counters = items.get(item) ?? {};
        if (into) into[name] = (into[name] ?? 0) + (counters[name] ?? 0);
        delete counters[name];
      }
    }
  }
  return folder.folded;
};

/** A ledger of every family's events, and a live version 1 that agrees with it. */
const settled = async () => {
  const env = await emulators.fresh();
  const clock = testClock();
  const store = createStore(env.config, env.clients, clock.now);
  const events = familyEvents();
  await seedLedger(env, events);
  // Live applied the events in another order than the ledger Scan returns them: its people sit on other
  // items of their partition (all on the first province of a nation, which no order of these events
  // gives), and the rebuild must still call it equal.
  await seedLive(env, firstsOnFirstItem(events));
  await recordClaims(env, events);
  return { ...env, clock, store, events };
};

describe("rebuild of every registered projection from the ledger, against DynamoDB Local", () => {
  it("given a ledger of every family's events, when rebuilt, then version 2 holds exactly a fold of them and equals live", async () => {
    // Given
    const env = await settled();
    const folder = createFolder(projections);
    for (const event of env.events) folder.add(event);
    const truth = folder.folded;
    // When
    const progress: RebuildProgress[] = [];
    const report = await rebuildProjections(env.store, env.clients.ddb, {
      progressEvery: 10,
      onProgress: (p) => progress.push(p),
      now: env.clock.now,
    });
    // Then: the report
    expect(report).toEqual({
      scanned: env.events.length + 1,
      events: env.events.length,
      partitions: truth.size,
      fromVersion: 1,
      toVersion: 2,
      itemsDeleted: 0,
      itemsWritten: itemCount(truth),
      unsettledEvents: 0,
      equalsLive: true,
      differingPartitions: 0,
      differences: [],
    });
    // ... every partition of every family reads back as the fold has it (its people counted once each,
    // on whichever item the ledger's order put them)
    for (const [partition, items] of truth) {
      const firsts = folder.firstsCounters.get(partition) ?? new Set();
      const read = await env.store.readPartition(partition, 2);
      expect([...read.keys()].sort()).toEqual([...items.keys()].sort());
      expect(comparable(read, firsts)).toEqual(comparable(items, firsts));
    }
    const partitions = [...truth.keys()];
    for (const family of ["cp#", "sup#", "spo#", "asm#"])
      expect(partitions.some((p) => p.startsWith(family))).toBe(true);
    // ... in the units of the time (Yên Bái, province 15 before 2025) and of today
    expect(partitions).toContain("sup#15@0001-01-01#2018");
    expect(partitions).toContain("sup#15@2025-07-01#2018");
    // ... where the student supported in both wards is one person of their district: with the corrected
    // grant to another person there, three lượt and two people
    expect(
      Object.fromEntries(await env.store.readPartition(`sup#${YEN_THINH}@0001-01-01#2018`, 2)),
    ).toMatchObject({ t: { n: 1, p: 1, m: 500_000 } });
    expect(Object.fromEntries(await env.store.readPartition("sup#132@0001-01-01#2018", 2))).toMatchObject({
      t: { n: 3, p: 2, m: 1_550_000 },
    });
    // ... as whole items, marked rebuilt with a time (text, not a counter), without claim markers
    const rebuilt = await versionItems(env, 2);
    expect(rebuilt.every((i) => /#s0$/.test(String(i.sk)))).toBe(true);
    expect(rebuilt.every((i) => i[REBUILT_AT] === "2026-09-05T09:00:00.000+07:00")).toBe(true);
    expect(markersOf(rebuilt)).toEqual([]);
    // ... and progress was told along the way
    expect(progress).toContainEqual({
      phase: "scan",
      scanned: env.events.length + 1,
      events: env.events.length,
      done: true,
    });
    expect(progress).toContainEqual({ phase: "write", written: itemCount(truth), of: itemCount(truth) });
    expect(progress).toContainEqual({ phase: "compare", compared: truth.size, of: truth.size });
  });

  it("given a live counter and a live person count corrupted by hand, when rebuilt, then the report names the partitions, items and counters", async () => {
    // Prepare
    const env = await settled();
    const truth = fold(projections, env.events);
    const commune = `sup#${YEN_THINH}@0001-01-01#2018`;
    const nation = "sup#VN#h#2018";
    await env.clients.ddb.send(
      new UpdateCommand({
        TableName: env.config.projectionTable,
        Key: { pk: commune, sk: "v1#t#s1" },
        UpdateExpression: "ADD m :extra",
        ExpressionAttributeValues: { ":extra": 1_000 },
      }),
    );
    await env.clients.ddb.send(
      new UpdateCommand({
        TableName: env.config.projectionTable,
        Key: { pk: nation, sk: "v1#p#15@0001-01-01#s3" },
        UpdateExpression: "ADD p :one",
        ExpressionAttributeValues: { ":one": 1 },
      }),
    );
    const money = truth.get(commune)?.get("t")?.m ?? 0;
    const people = [...(truth.get(nation)?.values() ?? [])].reduce((sum, c) => sum + (c.p ?? 0), 0);
    // Act
    const report = await rebuildProjections(env.store, env.clients.ddb, { recheckAfterMs: 0 });
    // Assess
    expect(report).toMatchObject({ equalsLive: false, differingPartitions: 2, unsettledEvents: 0 });
    expect(report.differences).toEqual([
      {
        partition: commune,
        differingItems: 1,
        items: [
          {
            item: "t",
            differingCounters: 1,
            counters: [{ counter: "m", live: money + 1_000, rebuilt: money }],
          },
        ],
        unsettledEvents: 0,
      },
      {
        partition: nation,
        differingItems: 1,
        items: [
          {
            item: SUMMED_ITEM,
            differingCounters: 1,
            counters: [{ counter: "p", live: people + 1, rebuilt: people }],
          },
        ],
        unsettledEvents: 0,
      },
    ]);
  });

  it("given an earlier rebuild, when run again, then it replaces it and reports the same", async () => {
    // Given
    const env = await settled();
    const first = await rebuildProjections(env.store, env.clients.ddb, { now: env.clock.now });
    const itemsAfterFirst = await versionItems(env, 2);
    // ... and a stale item an earlier rebuild left (a partition since gone from the fold)
    await put(env, env.config.projectionTable, [
      { pk: campaignPartition("gone"), sk: "v2#t#s0", [REBUILT_AT]: "2026-09-01T00:00:00+07:00", n: 1 },
    ]);
    // When
    const second = await rebuildProjections(env.store, env.clients.ddb, { now: env.clock.now });
    // Then
    expect(second).toEqual({ ...first, itemsDeleted: first.itemsWritten + 1 });
    expect(second.equalsLive).toBe(true);
    // ... the same items, the stale one gone (which province of a nation holds a person counted in two
    // may change with the order of the Scan, not the sums the comparison checks)
    const keys = (items: Record<string, unknown>[]) => items.map((i) => `${i.pk} ${i.sk}`).sort();
    expect(keys(await versionItems(env, 2))).toEqual(keys(itemsAfterFirst));
  });

  it("given a store configured with version 2 after a rebuild, when a campaign is read, then it serves the rebuilt totals", async () => {
    // Given: an empty live version, and a rebuilt version 2
    const env = await emulators.fresh();
    const events = familyEvents();
    await seedLedger(env, events);
    const report = await rebuildProjections(createStore(env.config, env.clients), env.clients.ddb, {
      recheckAfterMs: 0,
    });
    // When
    const switched = createStore({ ...env.config, projectionVersion: 2 }, env.clients);
    const [campaignId] = CAMPAIGNS;
    const view = campaignViewOf(campaignId, await switched.readPartition(campaignPartition(campaignId)));
    // Then
    const truth = fold(projections, events);
    expect(view).toEqual(campaignViewOf(campaignId, truth.get(campaignPartition(campaignId)) ?? new Map()));
    expect(view.pledged.count).toBe(3);
    // ... and the empty live version differed everywhere
    expect(report.differingPartitions).toBe(truth.size);
  });

  it("given pledges applied or not, when rebuilt, then those whose claim has no record and no marker are counted as unsettled", async () => {
    // Given: a settled ledger, then five pledges missing from live:
    // - young: claimed just now, not applied (in flight)
    // - crashed: claimed long ago by a worker that died before applying (its message is back on the queue)
    // - moved: its claim recorded, but its day moved to a claim not applied yet
    // - recorded: its claim recorded (its counts were lost from live by some other fault)
    // - marked: its claim applied on every item (`a#` markers) by a worker that died before the record
    const env = await settled();
    const [a, b] = CAMPAIGNS;
    const [young, moved] = [aPledge({ campaignId: a }), aPledge({ campaignId: a })];
    const [crashed, recorded, marked] = [
      aPledge({ campaignId: b }),
      aPledge({ campaignId: b }),
      aPledge({ campaignId: b }),
    ];
    const longAgo = env.clock.now() - env.config.claimGraceMs - 1;
    const row = (event: DomainEvent, claim: string) => ({
      eventId: event.eventId,
      contentHash: event.source.contentHash,
      event: JSON.stringify(event),
      claim,
    });
    await put(env, env.config.ledgerTable, [
      row(young, `young1/1/0/${env.clock.now()}`),
      row(crashed, `crashed1/1/0/${longAgo}`),
      {
        ...row(moved, `moved1/1/1/${longAgo}`),
        [`mv#${campaignPartition(a)}|d#2026-09`]: `later1/1/0/${env.clock.now()}`,
      },
      row(recorded, `recorded1/1/1/${longAgo}`),
      row(marked, `marked1/1/1/${longAgo}`),
    ]);
    await put(env, env.config.projectionTable, [
      { pk: "claim#moved1", sk: "r", events: 1, items: 3, appliedAt: 1 },
      { pk: "claim#recorded1", sk: "r", events: 1, items: 3, appliedAt: 1 },
    ]);
    for (const { target } of projections.flatMap((p) => p.contributions(marked))) {
      await env.clients.ddb.send(
        new UpdateCommand({
          TableName: env.config.projectionTable,
          Key: { pk: target.partition, sk: `v1#${target.item}#s1` },
          UpdateExpression: "SET #a = :at",
          ExpressionAttributeNames: { "#a": "a#marked1" },
          ExpressionAttributeValues: { ":at": "t:1764300000000" },
        }),
      );
    }
    // When
    const report = await rebuildProjections(env.store, env.clients.ddb, {
      now: env.clock.now,
      recheckAfterMs: 0,
    });
    // Then
    expect(report).toMatchObject({ events: env.events.length + 5, equalsLive: false, unsettledEvents: 3 });
    expect(report.differences.map((d) => [d.partition, d.unsettledEvents])).toEqual([
      [campaignPartition(b), 1],
      [campaignPartition(a), 2],
    ]);
  });

  it("refuses to write into the live version, or into one a projector has written, and changes nothing", async () => {
    // Prepare: version 2 rebuilt, switched to, and written by a projector since (a claim marker)
    const env = await settled();
    await rebuildProjections(env.store, env.clients.ddb, { recheckAfterMs: 0 });
    await env.clients.ddb.send(
      new UpdateCommand({
        TableName: env.config.projectionTable,
        Key: { pk: campaignPartition(CAMPAIGNS[0]), sk: "v2#t#s2" },
        UpdateExpression: "SET #a = :at ADD n :one",
        ExpressionAttributeNames: { "#a": "a#late1" },
        ExpressionAttributeValues: { ":at": "1764300000000", ":one": 1 },
      }),
    );
    const before = await versionItems(env, 2);
    const switched = createStore({ ...env.config, projectionVersion: 2 }, env.clients);
    // Act
    const [intoLive, intoSwitched, fromSwitched] = await Promise.allSettled([
      rebuildProjections(env.store, env.clients.ddb, { toVersion: 1 }),
      rebuildProjections(env.store, env.clients.ddb, { fromVersion: 1, toVersion: 2 }),
      rebuildProjections(switched, env.clients.ddb, { fromVersion: 1, toVersion: 2 }),
    ]);
    // Assess
    const reasonOf = (outcome: PromiseSettledResult<unknown> | undefined) =>
      outcome?.status === "rejected" ? (outcome.reason as Error) : undefined;
    expect(reasonOf(intoLive)).toBeInstanceOf(RebuildRefused);
    expect(reasonOf(intoSwitched)).toBeInstanceOf(RebuildRefused);
    expect(reasonOf(intoSwitched)?.message).toMatch(/written by a projector/);
    expect(reasonOf(fromSwitched)?.message).toMatch(/version 2 is live/);
    expect(await versionItems(env, 2)).toEqual(before);
  });

  it("given a claim applied on an old version but never recorded, when that version is deleted, then its record is written first", async () => {
    // Given: a worker applied claim died1 on version 1 and died before writing its record
    const env = await emulators.fresh();
    const partition = campaignPartition(CAMPAIGNS[0]);
    await put(env, env.config.projectionTable, [
      { pk: partition, sk: "v1#t#s0", n: 1, m: 100_000, "a#died1": "1764300000000" },
      { pk: partition, sk: "v1#d#2026-09#s0", "05#n": 1, "05#m": 100_000 },
    ]);
    // When: version 2 is live and version 1 is deleted
    const report = await deleteProjectionVersion({ ...env.config, projectionVersion: 2 }, env.clients.ddb, 1);
    // Then
    expect(report).toEqual({ claimsRecorded: 1, itemsDeleted: 2 });
    const { Item } = await env.clients.ddb.send(
      new GetCommand({
        TableName: env.config.projectionTable,
        Key: { pk: partition, sk: "claim#died1@v1#t#s0" },
        ConsistentRead: true,
      }),
    );
    expect(Item).toMatchObject({ itemSk: "v1#t#s0", events: 0 });
    expect(Item?.excluded).toBeUndefined();
    expect(await versionItems(env, 1)).toEqual([]);
  });

  it("given a ledger event that does not parse, stops before writing and names the event and the field", async () => {
    // Given
    const env = await emulators.fresh();
    const [good, bad] = [aPledge(), aPledge()];
    await seedLedger(env, [good]);
    await put(env, env.config.ledgerTable, [
      {
        eventId: bad.eventId,
        contentHash: bad.source.contentHash,
        event: JSON.stringify({ ...bad, campaignId: 42 }),
      },
    ]);
    // When
    const outcome = rebuildProjections(createStore(env.config, env.clients), env.clients.ddb);
    // Then
    await expect(outcome).rejects.toThrow(RebuildError);
    await expect(outcome).rejects.toThrow(
      new RegExp(`ledger event ${bad.eventId} does not parse: campaignId`),
    );
    expect(await versionItems(env, 2)).toEqual([]);
  });

  it("refuses to delete the live version", async () => {
    const env = await emulators.fresh();
    await expect(deleteProjectionVersion(env.config, env.clients.ddb, 1)).rejects.toThrow(RebuildRefused);
  });
});

class Crash extends Error {}

/**
 * A store whose process dies at its `crashAt`-th call: that call and every later one fail, as if the
 * Lambda container had been killed there. Every call counts, reads and writes alike.
 */
const dyingStore = (store: Store, crashAt: number, onDeath: () => void): Store => {
  let calls = 0;
  const wrapped = Object.entries(store).map(([name, value]) => [
    name,
    typeof value === "function"
      ? async (...args: unknown[]) => {
          if (calls === crashAt) onDeath();
          if (calls++ >= crashAt) throw new Crash("the process died here");
          return (value as (...a: unknown[]) => Promise<unknown>).apply(store, args);
        }
      : value,
  ]);
  return Object.fromEntries(wrapped) as Store;
};

/**
 * Projects `events` in batches of six, each batch carrying resubmissions from itself and from the one
 * before; the first delivery of batch i dies at its call 2i+1, then SQS redelivers until the queue is empty.
 */
const projectWithCrashes = async (
  store: Store,
  clock: ReturnType<typeof testClock>,
  events: DomainEvent[],
) => {
  const advance = () => clock.advance(store.config.claimGraceMs + 1);
  let crashes = 0;
  for (let i = 0; i * 6 < events.length; i++) {
    const batch = events.slice(i * 6, i * 6 + 6);
    const previous = events.slice(Math.max(0, i * 6 - 6), i * 6);
    const messages = messagesOf([...batch, ...batch.slice(0, 2), ...previous.slice(0, 2)], `b${i}-`);
    const dying = dyingStore(store, 2 * i + 1, () => crashes++);
    await createProjector(
      dying,
      quiet,
      clock.now,
    )(messages).catch((error) => {
      if (!(error instanceof Crash)) throw error;
    });
    advance();
    const left = await drain(createProjector(store, quiet, clock.now), messages, advance);
    if (left.length > 0) throw new Error(`batch ${i}: ${left.length} messages never projected`);
  }
  return crashes;
};

describe("rebuild after the projector, against DynamoDB Local", () => {
  it("given every family's events projected with resubmissions and crashes, when rebuilt, then version 2 equals live", async () => {
    // Given
    const env = await emulators.fresh({ projectionShards: 2 });
    const clock = testClock();
    const store = createStore(env.config, env.clients, clock.now);
    const events = familyEvents();
    expect(await projectWithCrashes(store, clock, events)).toBe(Math.ceil(events.length / 6));
    const folder = createFolder(projections);
    for (const event of events) folder.add(event);
    // When
    const report = await rebuildProjections(store, env.clients.ddb, { now: clock.now, recheckAfterMs: 0 });
    // Then
    expect(report).toMatchObject({
      scanned: events.length,
      events: events.length,
      partitions: folder.folded.size,
      unsettledEvents: 0,
      equalsLive: true,
      differences: [],
    });
    // ... and both versions read as the fold of the events, partition by partition
    for (const [partition, items] of folder.folded) {
      const firsts = folder.firstsCounters.get(partition) ?? new Set();
      const [live, rebuilt] = await Promise.all([
        store.readPartition(partition, 1),
        store.readPartition(partition, 2),
      ]);
      expect(comparable(live, firsts)).toEqual(comparable(items, firsts));
      expect(comparable(rebuilt, firsts)).toEqual(comparable(items, firsts));
    }
  });

  it("given a rebuilt version switched to, when more events are projected, then it counts them on top and a person counted before is not counted again", async () => {
    // Given: events projected into version 1, rebuilt into version 2, and handlers switched to it
    const env = await emulators.fresh();
    const clock = testClock();
    const v1 = createStore(env.config, env.clients, clock.now);
    const student = {
      type: "beneficiary" as const,
      beneficiaryId: randomUUID(),
      beneficiaryKind: "student" as const,
    };
    const before = [granted(grantFacts({ unitCode: YEN_THINH, recipient: student })), aPledge()];
    expect(await createProjector(v1, quiet, clock.now)(messagesOf(before))).toMatchObject({ failed: [] });
    await rebuildProjections(v1, env.clients.ddb, { now: clock.now });
    const v2 = createStore({ ...env.config, projectionVersion: 2 }, env.clients, clock.now);
    // When: the same student is supported again in the other ward, and a pledge comes
    const after = [granted(grantFacts({ unitCode: YEN_NINH, recipient: student })), aPledge()];
    expect(await createProjector(v2, quiet, clock.now)(messagesOf(after, "late"))).toMatchObject({
      failed: [],
    });
    // Then: version 2 holds every event once, the student once in the province
    const province = "sup#15@0001-01-01#2018";
    expect(Object.fromEntries(await v2.readPartition(province))).toMatchObject({ t: { n: 2, p: 1 } });
    const campaign = campaignPartition(CAMPAIGNS[0]);
    expect(campaignViewOf(CAMPAIGNS[0], await v2.readPartition(campaign))).toEqual(
      campaignViewOf(CAMPAIGNS[0], fold(projections, [...before, ...after]).get(campaign) ?? new Map()),
    );
    // ... while version 1, no longer written, stays where it was
    expect(Object.fromEntries(await v1.readPartition(province))).toMatchObject({ t: { n: 1, p: 1 } });
  });
  it("given a claim applied on version 1 but never recorded, when version 1 is deleted after a switch, then its event is not counted again", async () => {
    // Given: a worker applied claim died1 to every item of its pledge on version 1 and died before any record
    const env = await emulators.fresh();
    const clock = testClock();
    const v1 = createStore(env.config, env.clients, clock.now);
    const event = aPledge();
    const ref = { id: "died1", version: 1, shard: 0, claimedAt: clock.now() };
    await v1.insertLedger([{ event, claim: ref }]);
    for (const { target, add } of projections.flatMap((p) => p.contributions(event)))
      expect(await v1.apply(claimOn(ref, target), add, [])).toBe("applied");
    await rebuildProjections(v1, env.clients.ddb, { now: clock.now });
    // When: version 2 goes live, version 1 is deleted, and the event's message comes back late
    const live = { ...env.config, projectionVersion: 2 };
    const report = await deleteProjectionVersion(live, env.clients.ddb, 1);
    clock.advance(live.claimGraceMs + 1);
    const v2 = createStore(live, env.clients, clock.now);
    const outcome = await createProjector(v2, quiet, clock.now)(messagesOf([event]));
    // Then: the markers became records before the items went, so the claim is known applied
    const items = projections.flatMap((p) => p.contributions(event)).length;
    expect(report).toEqual({ claimsRecorded: items, itemsDeleted: items });
    expect(outcome).toMatchObject({ failed: [], applied: 0, duplicates: 1 });
    const partition = campaignPartition(event.campaignId);
    expect(Object.fromEntries(await v2.readPartition(partition))).toEqual(
      Object.fromEntries(fold(projections, [event]).get(partition) ?? new Map()),
    );
    expect(await versionItems(env, 1)).toEqual([]);
  });
});

describe("npm run rebuild", () => {
  const run = (env: NodeJS.ProcessEnv, args: string[] = []) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ["scripts/rebuild.ts", ...args],
        { env: { ...process.env, ...env }, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });

  /** Runs the script against a stack's endpoints file, as `npm start` leaves it in its DATA_DIR. */
  const runAgainst = async (env: Env, args: string[]) => {
    const dataDir = mkdtempSync(join(tmpdir(), "rebuild-"));
    writeFileSync(
      join(dataDir, "endpoints.json"),
      JSON.stringify({
        dynamoEndpoint: env.config.dynamoEndpoint,
        sqsEndpoint: env.config.sqsEndpoint,
        ledgerTable: env.config.ledgerTable,
        projectionTable: env.config.projectionTable,
        queueUrl: env.config.queueUrl,
        deadLetterQueueUrl: env.config.deadLetterQueueUrl,
      }),
    );
    try {
      return await run({ DATA_DIR: dataDir, PROJECTION_VERSION: "" }, args);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it("given a running stack's endpoints file, prints progress, a summary and the report as the last line", async () => {
    // Prepare
    const env = await settled();
    // Act
    const result = await runAgainst(env, ["--to", "3"]);
    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    const n = env.events.length;
    expect(lines).toContain(`  scanned ${n + 1} ledger items (done), ${n} events to fold`);
    expect(lines.find((l) => l.startsWith("To switch"))).toMatch(
      /^To switch, restart the stack with version 3: DATA_DIR=\S+ .*PROJECTION_VERSION=3 npm start$/,
    );
    const truth = fold(projections, env.events);
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({
      scanned: n + 1,
      events: n,
      partitions: truth.size,
      fromVersion: 1,
      toVersion: 3,
      equalsLive: true,
      differences: [],
    });
    expect(await versionItems(env, 3)).toHaveLength(itemCount(truth));
  });

  it("given a live version that differs, names the partition, item and counter, and says switching is a decision", async () => {
    // Prepare: a ledger with one pledge more than live
    const env = await settled();
    const [campaignId] = CAMPAIGNS;
    const later = aPledge({
      campaignId,
      unitCode: YEN_THINH,
      occurredAt: "2026-09-01T18:00:00+07:00",
      contribution: { kind: "money", amountVnd: 2_500_000 },
    });
    await seedLedger(env, [later]);
    const truth = fold(projections, env.events);
    const { "01#m": m = 0, "01#n": n = 0 } = truth.get(campaignPartition(campaignId))?.get("d#2026-09") ?? {};
    // Act
    const result = await runAgainst(env, []);
    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain(`Version 2 differs from live version 1 in 1 of ${truth.size} partition(s):`);
    expect(lines).toContain(`  ${campaignPartition(campaignId)}: 2 item(s) differ`);
    expect(m).toBeGreaterThan(0);
    expect(lines).toContain(
      `    d#2026-09: 01#m live ${m.toLocaleString("en-US")}, rebuilt ${(m + 2_500_000).toLocaleString("en-US")}; 01#n live ${n}, rebuilt ${n + 1}`,
    );
    expect(lines.find((l) => l.startsWith("Switching"))).toMatch(/is your decision/);
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({ equalsLive: false, differingPartitions: 1 });
  });

  it("given no running stack, says to start it and exits 1", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rebuild-"));
    const result = await run({ DATA_DIR: dataDir });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("start the local stack with npm start first");
  });
});
