// @ts-nocheck: rewritten with rebuild.ts for the projection engine; its old campaign-only cases are replaced there.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { foldDeltas, mergeDeltas } from "#domain/projection.ts";
import type { DomainEvent } from "#events/index.ts";
import { campaignQueryHandler } from "#functions/campaign-query/query.ts";
import type { Clients } from "#storage/clients.ts";
import type { Config } from "#storage/config.ts";
import { campaignPk } from "#storage/legacy-campaign-layout.ts";
import { createProjector } from "#storage/projector.ts";
import {
  deleteProjectionVersion,
  REBUILT_AT,
  type RebuildProgress,
  RebuildRefused,
  rebuildProjections,
} from "#storage/rebuild.ts";
import { createStore, type Store } from "#storage/store.ts";
import { useEmulators } from "../helpers/emulators.ts";
import { aPledge } from "../helpers/events.ts";
import { messagesOf, quiet, testClock } from "../helpers/projector.ts";

const CAMPAIGNS = ["thang-9-khuyen-hoc-2026", "ngay-2-10", "tiep-suc-den-truong"] as const;
const emulators = useEmulators();

/** Pledges spread over three campaigns, five days and seven communes, money and in kind. */
const manyPledges = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    aPledge({
      campaignId: CAMPAIGNS[i % CAMPAIGNS.length],
      unitCode: `04${String(200 + (i % 7)).padStart(3, "0")}`,
      occurredAt: `2026-09-0${1 + (i % 5)}T1${i % 10}:00:00+07:00`,
      contribution:
        i % 4 === 0
          ? { kind: "in-kind", description: "vở", valuationVnd: 10_000 + i }
          : { kind: "money", amountVnd: 100_000 + i },
    }),
  );

class Crash extends Error {}

/**
 * A store whose process dies at its `crashAt`-th write: that write and every later call fail, as if the
 * Lambda container had been killed there (the same idea as in exactly-once.test.ts).
 */
const dyingStore = (store: Store, crashAt: number): Store => {
  let writes = 0;
  let dead = false;
  const guard =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>, isWrite: boolean) =>
    async (...args: A): Promise<R> => {
      if (!dead && isWrite && writes++ === crashAt) dead = true;
      if (dead) throw new Crash("the process died here");
      return fn(...args);
    };
  return {
    ...store,
    ledgerHash: guard(store.ledgerHash, false),
    readLedger: guard(store.readLedger, false),
    claimRecords: guard(store.claimRecords, false),
    readCampaignShards: guard(store.readCampaignShards, false),
    enqueue: guard(store.enqueue, true),
    deadLetter: guard(store.deadLetter, true),
    insertLedger: guard(store.insertLedger, true),
    reclaim: guard(store.reclaim, true),
    fence: guard(store.fence, true),
    apply: guard(store.apply, true),
    putClaimRecord: guard(store.putClaimRecord, true),
  };
};

/**
 * Projects `events` in batches of eight, each batch carrying resubmissions from itself and from the one
 * before; the first delivery of batch i dies at write #i, then SQS redelivers until the queue is empty.
 */
const chaosRun = async (store: Store, clock: ReturnType<typeof testClock>, events: DomainEvent[]) => {
  const grace = store.config.claimGraceMs + 1;
  for (let i = 0; i * 8 < events.length; i++) {
    const batch = events.slice(i * 8, i * 8 + 8);
    const previous = events.slice(Math.max(0, i * 8 - 8), i * 8);
    const messages = messagesOf([...batch, ...batch.slice(0, 2), ...previous.slice(0, 3)], `b${i}-`);
    await createProjector(
      dyingStore(store, i),
      quiet,
      clock.now,
    )(messages).catch((error) => {
      if (!(error instanceof Crash)) throw error;
    });
    let pending = messages;
    for (let round = 0; pending.length > 0 && round < 10; round++) {
      clock.advance(grace);
      const outcome = await createProjector(store, quiet, clock.now)(pending);
      pending = pending.filter((m) => outcome.failed.includes(m.messageId));
    }
    if (pending.length > 0) throw new Error(`batch ${i}: ${pending.length} messages never projected`);
  }
};

const viewOf = async (store: Store, campaignId: string, version?: number) =>
  mergeDeltas(campaignId, await store.readCampaignShards(campaignId, version));
const truthOf = (events: DomainEvent[], campaignId: string) => {
  const delta = foldDeltas(events).get(campaignId);
  return mergeDeltas(campaignId, delta ? [delta] : []);
};

/** Every shard item of a version, as stored. */
const shardItems = async ({ config, clients }: { config: Config; clients: Clients }, version: number) =>
  (
    await clients.ddb.send(
      new ScanCommand({
        TableName: config.projectionTable,
        FilterExpression: "begins_with(sk, :v)",
        ExpressionAttributeValues: { ":v": `v${version}#s#` },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];
const markersOf = (items: Record<string, unknown>[]) =>
  items.flatMap((item) => Object.keys(item).filter((k) => k.startsWith("a#") || k.startsWith("f#")));

/** A projected setup: `n` pledges over the three campaigns, counted by a healthy projector. */
const projected = async (n: number, overrides: Partial<Config> = {}) => {
  const env = await emulators.fresh(overrides);
  const clock = testClock();
  const store = createStore(env.config, env.clients, clock.now);
  const events = manyPledges(n);
  const outcome = await createProjector(store, quiet, clock.now)(messagesOf(events));
  expect(outcome.failed).toEqual([]);
  return { ...env, clock, store, events };
};

const getCampaign = async (store: Store, campaignId: string) => {
  const event = {
    version: "2.0",
    routeKey: "GET /v1/campaigns/{campaignId}",
    rawPath: `/v1/campaigns/${campaignId}`,
    rawQueryString: "",
    headers: {},
    pathParameters: { campaignId },
    isBase64Encoded: false,
    requestContext: { http: { method: "GET" } },
  } as unknown as APIGatewayProxyEventV2;
  const response = (await campaignQueryHandler(store, quiet)(
    event,
    {} as Context,
  )) as APIGatewayProxyStructuredResultV2;
  expect(response.statusCode).toBe(200);
  return JSON.parse(String(response.body)) as unknown;
};

describe("rebuild of the projections from the ledger, against DynamoDB Local", () => {
  it("given a chaos run with duplicates and a crash at each write, when rebuilt, then version 2 equals live", async () => {
    // Given
    const env = await emulators.fresh({ projectionShards: 2 });
    const clock = testClock();
    const store = createStore(env.config, env.clients, clock.now);
    const events = manyPledges(56);
    await chaosRun(store, clock, events);
    const liveMarkers = markersOf(await shardItems(env, 1));
    // When
    const progress: RebuildProgress[] = [];
    const report = await rebuildProjections(env.config, env.clients.ddb, {
      progressEvery: 20,
      onProgress: (p) => progress.push(p),
      now: clock.now,
    });
    // Then: the report
    expect(report).toEqual({
      scanned: 56,
      events: 56,
      campaigns: 3,
      fromVersion: 1,
      toVersion: 2,
      itemsDeleted: 0,
      itemsWritten: 3,
      unsettledEvents: 0,
      equalsLive: true,
      differences: [],
    });
    // ... each campaign reads the same from both versions, and both equal a fold of the events
    for (const campaignId of CAMPAIGNS) {
      const rebuilt = await viewOf(store, campaignId, 2);
      expect(rebuilt).toEqual(await viewOf(store, campaignId, 1));
      expect(rebuilt).toEqual(truthOf(events, campaignId));
    }
    // ... the chaos left fence markers in the live version; the rebuilt items are whole, without any
    expect(liveMarkers.some((m) => m.startsWith("f#"))).toBe(true);
    const rebuiltItems = await shardItems(env, 2);
    expect(rebuiltItems.map((i) => i.sk)).toEqual(["v2#s#0", "v2#s#0", "v2#s#0"]);
    expect(markersOf(rebuiltItems)).toEqual([]);
    // ... and progress was told along the way
    expect(progress).toContainEqual({ phase: "scan", scanned: 56, events: 56, done: true });
    expect(progress).toContainEqual({ phase: "write", written: 3, of: 3 });
    expect(progress).toContainEqual({ phase: "compare", compared: 3, of: 3 });
  });

  it("given a live total corrupted by hand, when rebuilt, then the report names the campaign and what differs", async () => {
    // Prepare
    const env = await projected(12, { projectionShards: 1 });
    const [corrupted, ...intact] = CAMPAIGNS;
    await env.clients.ddb.send(
      new UpdateCommand({
        TableName: env.config.projectionTable,
        Key: { pk: campaignPk(corrupted), sk: "v1#s#0" },
        UpdateExpression: "ADD m :extra, #day :extra",
        ExpressionAttributeNames: { "#day": "d20260901m" },
        ExpressionAttributeValues: { ":extra": 1_000 },
      }),
    );
    const truth = truthOf(env.events, corrupted);
    // Act
    const report = await rebuildProjections(env.config, env.clients.ddb);
    // Assess
    expect(report.equalsLive).toBe(false);
    expect(report.differences).toEqual([
      {
        campaignId: corrupted,
        live: { ...truth.pledged, moneyVnd: truth.pledged.moneyVnd + 1_000 },
        rebuilt: truth.pledged,
        differingDays: 1,
        differingUnits: 0,
        days: [
          expect.objectContaining({
            key: "2026-09-01",
            live: expect.objectContaining({ moneyVnd: expect.any(Number) }),
          }),
        ],
        units: [],
        unsettledEvents: 0,
      },
    ]);
    const [day] = report.differences[0]?.days ?? [];
    expect((day?.live.moneyVnd ?? 0) - (day?.rebuilt.moneyVnd ?? 0)).toBe(1_000);
    for (const campaignId of intact) {
      expect(await viewOf(env.store, campaignId, 2)).toEqual(await viewOf(env.store, campaignId, 1));
    }
  });

  it("given an earlier rebuild, when run again, then it replaces it and reports the same", async () => {
    // Given
    const env = await projected(15);
    const first = await rebuildProjections(env.config, env.clients.ddb, { now: env.clock.now });
    const itemsAfterFirst = await shardItems(env, 2);
    // ... and a stale item, as an earlier rebuild that spilled a campaign into a second shard would leave
    await env.clients.ddb.send(
      new PutCommand({
        TableName: env.config.projectionTable,
        Item: { pk: campaignPk(CAMPAIGNS[0]), sk: "v2#s#1", [REBUILT_AT]: 1, m: 999_000, n: 1 },
      }),
    );
    // When
    const second = await rebuildProjections(env.config, env.clients.ddb, { now: env.clock.now });
    // Then
    expect(second).toEqual({ ...first, itemsDeleted: first.itemsWritten + 1 });
    expect(second.equalsLive).toBe(true);
    expect(await shardItems(env, 2)).toEqual(itemsAfterFirst);
    expect(itemsAfterFirst.every((item) => item[REBUILT_AT] === env.clock.now())).toBe(true);
  });

  it("given a store configured with version 2, when a campaign is queried, then it serves the rebuilt totals and counts new events on top", async () => {
    // Given: a rebuilt version 2, and handlers switched to it by configuration alone
    const env = await projected(9);
    await rebuildProjections(env.config, env.clients.ddb);
    const [campaignId] = CAMPAIGNS;
    const switched = createStore({ ...env.config, projectionVersion: 2 }, env.clients, env.clock.now);
    // When
    const served = await getCampaign(switched, campaignId);
    const later = aPledge({ campaignId, contribution: { kind: "money", amountVnd: 7_000_000 } });
    const outcome = await createProjector(switched, quiet, env.clock.now)(messagesOf([later], "late"));
    // Then
    expect(served).toEqual(truthOf(env.events, campaignId));
    expect(outcome).toMatchObject({ failed: [], applied: 1 });
    expect(await getCampaign(switched, campaignId)).toEqual(truthOf([...env.events, later], campaignId));
    // ... while version 1, no longer written, stays where it was
    expect(await getCampaign(env.store, campaignId)).toEqual(truthOf(env.events, campaignId));
  });

  it("given events still in flight, when rebuilt, then they are the difference and are counted as unsettled", async () => {
    // Given: one event in the ledger under a young claim that no worker has applied yet
    const env = await projected(6);
    const [campaignId] = CAMPAIGNS;
    const inFlight = aPledge({ campaignId });
    await env.store.insertLedger([
      { event: inFlight, claim: { id: "inflight1", pk: campaignPk(campaignId), sk: "v1#s#0" } },
    ]);
    // When
    const report = await rebuildProjections(env.config, env.clients.ddb);
    // Then
    expect(report).toMatchObject({ events: 7, equalsLive: false, unsettledEvents: 1 });
    expect(report.differences).toEqual([
      expect.objectContaining({
        campaignId,
        live: truthOf(env.events, campaignId).pledged,
        rebuilt: truthOf([...env.events, inFlight], campaignId).pledged,
        unsettledEvents: 1,
      }),
    ]);
  });

  it("refuses to write into the live version, or into one a projector has written, and changes nothing", async () => {
    // Prepare: version 2 rebuilt, switched to, and written by a projector since
    const env = await projected(6);
    await rebuildProjections(env.config, env.clients.ddb);
    const switched = createStore({ ...env.config, projectionVersion: 2 }, env.clients, env.clock.now);
    await createProjector(switched, quiet, env.clock.now)(messagesOf([aPledge()], "late"));
    const before = await shardItems(env, 2);
    // Act
    const [intoLive, intoSwitched, fromSwitched] = await Promise.allSettled([
      rebuildProjections(env.config, env.clients.ddb, { toVersion: 1 }),
      rebuildProjections(env.config, env.clients.ddb, { fromVersion: 1, toVersion: 2 }),
      rebuildProjections({ ...env.config, projectionVersion: 2 }, env.clients.ddb, {
        fromVersion: 1,
        toVersion: 2,
      }),
    ]);
    // Assess
    const reasonOf = (outcome: PromiseSettledResult<unknown> | undefined) =>
      outcome?.status === "rejected" ? (outcome.reason as Error) : undefined;
    expect(reasonOf(intoLive)).toBeInstanceOf(RebuildRefused);
    expect(reasonOf(intoSwitched)).toBeInstanceOf(RebuildRefused);
    expect(reasonOf(intoSwitched)?.message).toMatch(/written by a projector/);
    expect(reasonOf(fromSwitched)?.message).toMatch(/version 2 is live/);
    expect(await shardItems(env, 2)).toEqual(before);
  });

  it("given a claim applied on the old version but never recorded, when that version is deleted after a switch, then its events are not counted again", async () => {
    // Given: a worker applied claim C on version 1 and died before writing its record
    const env = await emulators.fresh();
    const clock = testClock();
    const v1 = createStore(env.config, env.clients, clock.now);
    const [event] = manyPledges(1);
    if (!event) throw new Error("no event");
    const claim = { id: "died1", pk: campaignPk(CAMPAIGNS[0]), sk: "v1#s#0" };
    await v1.insertLedger([{ event, claim }]);
    const delta = foldDeltas([event]).get(CAMPAIGNS[0]);
    if (!delta) throw new Error("no delta");
    expect(await v1.apply(claim, delta, [])).toBe("applied");
    await rebuildProjections(env.config, env.clients.ddb, { toVersion: 2 });
    // When: version 2 goes live, version 1 is deleted, and the event's message comes back late
    const live = { ...env.config, projectionVersion: 2 };
    const report = await deleteProjectionVersion(live, env.clients.ddb, 1);
    clock.advance(live.claimGraceMs + 1);
    const v2 = createStore(live, env.clients, clock.now);
    const outcome = await createProjector(v2, quiet, clock.now)(messagesOf([event]));
    // Then: the marker became a record before the item went, so the claim is known applied
    expect(outcome).toMatchObject({ failed: [], applied: 0, duplicates: 1 });
    expect(await viewOf(v2, CAMPAIGNS[0])).toEqual(truthOf([event], CAMPAIGNS[0]));
    expect(report).toEqual({ claimsRecorded: 1, itemsDeleted: 1 });
    expect(await shardItems(env, 1)).toEqual([]);
  });

  it("refuses to delete the live version", async () => {
    const env = await emulators.fresh();
    await expect(deleteProjectionVersion(env.config, env.clients.ddb, 1)).rejects.toThrow(RebuildRefused);
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

  it("given a running stack's endpoints file, prints progress, a summary and the report as the last line", async () => {
    // Prepare
    const env = await projected(9);
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
    // Act
    const result = await run({ DATA_DIR: dataDir, PROJECTION_VERSION: "" }, ["--to", "3"]);
    rmSync(dataDir, { recursive: true, force: true });
    // Assess
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines).toContain("  scanned 9 ledger items (done), 9 events to fold");
    expect(lines.find((l) => l.startsWith("To switch"))).toMatch(
      /^To switch, restart the stack with version 3: DATA_DIR=\S+ .*PROJECTION_VERSION=3 npm start$/,
    );
    expect(JSON.parse(lines.at(-1) ?? "")).toMatchObject({
      scanned: 9,
      events: 9,
      campaigns: 3,
      fromVersion: 1,
      toVersion: 3,
      equalsLive: true,
      differences: [],
    });
    const written = await env.clients.ddb.send(
      new QueryCommand({
        TableName: env.config.projectionTable,
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
        ExpressionAttributeValues: { ":pk": campaignPk(CAMPAIGNS[0]), ":v": "v3#s#" },
      }),
    );
    expect(written.Count).toBe(1);
  });

  it("given no running stack, says to start it and exits 1", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rebuild-"));
    const result = await run({ DATA_DIR: dataDir });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("start the local stack with npm start first");
  });
});
