import { randomInt, randomUUID } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { type CampaignDelta, type Totals, zeroTotals } from "#domain/projection.ts";
import { toVietnamIso } from "#domain/time.ts";
import type { DomainEvent } from "#events/index.ts";
import { asciiJson, escapeNonAscii } from "./ascii-json.ts";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";

/**
 * The one module that knows how events and projections are laid out in DynamoDB and SQS.
 *
 * Ledger item (table keyed by eventId): the event as accepted, its content hash, and the claim that
 * carries it into the projection. Projection items: one per campaign shard (`c#<campaign>`, `v<version>#s#<n>`)
 * with flat number attributes, and one claim record per applied claim (`claim#<id>`).
 * docs/exactly-once.md explains the claim protocol.
 */

// ---------------------------------------------------------------- keys and attribute names

export const campaignPk = (campaignId: string): string => `c#${campaignId}`;
/**
 * Shard items carry the projection version in their sort key, so a rebuild can write version N+1 beside
 * the live version N and the switch is one setting (PROJECTION_VERSION).
 */
export const shardPrefix = (version: number): string => `v${version}#s#`;
export const shardSk = (version: number, shard: number): string => `${shardPrefix(version)}${shard}`;
export const claimRecordSk = (claimId: string): string => `claim#${claimId}`;
/** Marks a claim as applied on its shard item; removed once the claim record is durable. */
export const appliedMarker = (claimId: string): string => `a#${claimId}`;
/** Marks a claim as abandoned on its shard item: it can never be applied after this. */
export const fenceMarker = (claimId: string): string => `f#${claimId}`;

const TOTAL = { m: "moneyVnd", k: "inKindVnd", n: "count" } as const satisfies Record<string, keyof Totals>;
type TotalKey = keyof typeof TOTAL;

/** Flat attribute names: `m`,`k`,`n` for the campaign; `d#<day>#m` by day; `u#<unit>#m` by unit. */
const totalsAttributes = (prefix: string, totals: Totals): [string, number][] =>
  (Object.entries(TOTAL) as [TotalKey, keyof Totals][])
    .filter(([, field]) => totals[field] !== 0)
    .map(([short, field]) => [`${prefix}${short}`, totals[field]]);

/** Every attribute a delta adds to, with the amount. Zero amounts are left out to keep items small. */
export const deltaAttributes = (delta: CampaignDelta): [string, number][] => [
  ...totalsAttributes("", delta.total),
  ...[...delta.byDay].flatMap(([day, t]) => totalsAttributes(`d#${day}#`, t)),
  ...[...delta.byUnit].flatMap(([unit, t]) => totalsAttributes(`u#${unit}#`, t)),
];

/** Reads a shard item back into a delta, ignoring keys and claim markers. */
export const deltaFromItem = (campaignId: string, item: Record<string, unknown>): CampaignDelta => {
  const delta: CampaignDelta = { campaignId, total: zeroTotals(), byDay: new Map(), byUnit: new Map() };
  const add = (totals: Totals, short: string, value: unknown) => {
    const field = TOTAL[short as TotalKey];
    if (field !== undefined && typeof value === "number") totals[field] += value;
  };
  const into = (map: Map<string, Totals>, key: string): Totals => {
    const existing = map.get(key);
    if (existing) return existing;
    const fresh = zeroTotals();
    map.set(key, fresh);
    return fresh;
  };
  for (const [name, value] of Object.entries(item)) {
    const parts = name.split("#");
    if (parts.length === 1) add(delta.total, name, value);
    else if (parts.length === 3 && parts[0] === "d")
      add(into(delta.byDay, parts[1] ?? ""), parts[2] ?? "", value);
    else if (parts.length === 3 && parts[0] === "u")
      add(into(delta.byUnit, parts[1] ?? ""), parts[2] ?? "", value);
  }
  return delta;
};

// ---------------------------------------------------------------- ledger

/** Staff events also fill the ledger's sparse audit index (tables.ts `auditIndex`): unit, then time. */
const auditAttributes = (event: DomainEvent): string[] =>
  "actor" in event ? [event.unitCode, toVietnamIso(new Date(event.recordedAt))] : [];

/** The event a ledger item holds: JSON text (or, in items from before that choice, a map). */
export const eventOfLedgerItem = (item: Record<string, unknown>): unknown =>
  typeof item.event === "string" ? JSON.parse(item.event) : item.event;

export interface LedgerRow {
  readonly eventId: string;
  readonly contentHash: string;
  /** Absent for events that move no projection. */
  readonly claimId?: string;
  readonly claimPk?: string;
  readonly claimSk?: string;
  readonly claimedAt?: number;
}

export interface Claim {
  readonly id: string;
  readonly pk: string;
  readonly sk: string;
}

const isConditionFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === "ConditionalCheckFailedException";

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export type InsertResult =
  | { readonly result: "inserted" }
  /** Already in the ledger: the row as it is (undefined only if the service did not return it). */
  | { readonly result: "exists"; readonly row: LedgerRow | undefined }
  | { readonly result: "failed"; readonly error: unknown };

export interface Store {
  readonly config: Config;
  /** The content hash of an event already in the ledger, read strongly consistent. */
  ledgerHash(eventId: string): Promise<string | undefined>;
  enqueue(event: DomainEvent): Promise<void>;
  deadLetter(body: string, reason: string): Promise<void>;
  readLedger(eventIds: readonly string[]): Promise<Map<string, LedgerRow>>;
  /** Conditional inserts: an eventId already in the ledger is never overwritten; its row is returned. */
  insertLedger(entries: readonly { event: DomainEvent; claim?: Claim }[]): Promise<Map<string, InsertResult>>;
  /** Moves an event from an abandoned claim to a new one; false if another worker moved it first. */
  reclaim(eventId: string, from: string, to: Claim): Promise<boolean>;
  claimRecordsExist(claims: readonly Claim[]): Promise<Set<string>>;
  /** Fences an unapplied claim; answers "applied" if it had been applied after all. */
  fence(claim: Claim): Promise<"fenced" | "applied">;
  /** Applies a claim's delta to its shard item once; "fenced" if the claim was abandoned meanwhile. */
  apply(claim: Claim, delta: CampaignDelta, prune: readonly string[]): Promise<"applied" | "fenced">;
  putClaimRecord(claim: Claim, events: number): Promise<void>;
  /** The shard items of a campaign in the given projection version (the configured one by default). */
  readCampaignShards(campaignId: string, version?: number): Promise<CampaignDelta[]>;
}

export const newClaim = (
  campaignId: string,
  config: Pick<Config, "projectionShards" | "projectionVersion">,
): Claim => {
  const id = `${Date.now().toString(36)}${randomUUID().slice(0, 8)}`;
  return {
    id,
    pk: campaignPk(campaignId),
    sk: shardSk(config.projectionVersion, randomInt(config.projectionShards)),
  };
};

/**
 * At most `max` calls at once: past a few dozen concurrent requests a table (and DynamoDB Local far
 * sooner) answers no faster, and the SDK's sockets queue anyway.
 */
const limiter = (max: number) => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
};

export const createStore = (
  config: Config,
  { ddb, sqs }: Pick<Clients, "ddb" | "sqs">,
  now: () => number = Date.now,
): Store => {
  const inFlight = limiter(32);
  const readLedger = async (eventIds: readonly string[]): Promise<Map<string, LedgerRow>> => {
    const rows = new Map<string, LedgerRow>();
    await Promise.all(
      chunk(eventIds, 100).map(async (ids) => {
        let keys: Record<string, unknown>[] | undefined = ids.map((eventId) => ({ eventId }));
        while (keys && keys.length > 0) {
          const out: BatchGetCommandOutput = await ddb.send(
            new BatchGetCommand({
              RequestItems: {
                [config.ledgerTable]: {
                  Keys: keys,
                  ConsistentRead: true,
                  ProjectionExpression: "eventId, contentHash, claimId, claimPk, claimSk, claimedAt",
                },
              },
            }),
          );
          for (const item of out.Responses?.[config.ledgerTable] ?? [])
            rows.set(item.eventId, item as LedgerRow);
          keys = out.UnprocessedKeys?.[config.ledgerTable]?.Keys;
        }
      }),
    );
    return rows;
  };
  return {
    config,

    async ledgerHash(eventId) {
      const { Item } = await ddb.send(
        new GetCommand({
          TableName: config.ledgerTable,
          Key: { eventId },
          ProjectionExpression: "contentHash",
          ConsistentRead: true,
        }),
      );
      return typeof Item?.contentHash === "string" ? Item.contentHash : undefined;
    },

    async enqueue(event) {
      await sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: asciiJson(event) }));
    },

    async deadLetter(body, reason) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: config.deadLetterQueueUrl,
          // The body is sent as it came off the queue, which accepted it then, so an operator finds the
          // very message. The reason is cut to a length, which may split a surrogate pair: written as
          // ASCII after the cut, so the queue cannot refuse it.
          MessageBody: body,
          MessageAttributes: {
            reason: { DataType: "String", StringValue: escapeNonAscii(reason.slice(0, 1000)) },
          },
        }),
      );
    },

    readLedger,

    async insertLedger(entries) {
      const results = new Map<string, InsertResult>();
      const claimedAt = now();
      // PartiQL INSERT refuses, per statement, a key that exists: a conditional put, 25 to a request.
      // The row is the event as JSON text plus what the protocol needs, nothing copied out of the event:
      // DynamoDB (and Local twice as much) handles one string far faster than a map or many attributes.
      await Promise.all(
        chunk(entries, 25).map((part) =>
          inFlight(async () => {
            try {
              const out = await ddb.send(
                new BatchExecuteStatementCommand({
                  Statements: part.map(({ event, claim }) => ({
                    Statement: `INSERT INTO "${config.ledgerTable}" VALUE {'eventId': ?, 'contentHash': ?, 'event': ?${claim ? ", 'claimId': ?, 'claimPk': ?, 'claimSk': ?, 'claimedAt': ?" : ""}${"actor" in event ? ", 'auditUnit': ?, 'auditAt': ?" : ""}}`,
                    Parameters: [
                      event.eventId,
                      event.source.contentHash,
                      JSON.stringify(event),
                      ...(claim ? [claim.id, claim.pk, claim.sk, claimedAt] : []),
                      ...auditAttributes(event),
                    ],
                  })),
                }),
              );
              part.forEach(({ event }, i) => {
                const error = out.Responses?.[i]?.Error;
                results.set(
                  event.eventId,
                  error === undefined
                    ? { result: "inserted" }
                    : error.Code === "DuplicateItem"
                      ? { result: "exists", row: undefined }
                      : { result: "failed", error },
                );
              });
            } catch (error) {
              for (const { event } of part) results.set(event.eventId, { result: "failed", error });
            }
          }),
        ),
      );
      // Only the refused ones are read back, to learn their content hash and claim.
      const refused = [...results].filter(([, r]) => r.result === "exists").map(([id]) => id);
      if (refused.length > 0) {
        const rows = await readLedger(refused);
        for (const id of refused) results.set(id, { result: "exists", row: rows.get(id) });
      }
      return results;
    },

    async reclaim(eventId, from, to) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: config.ledgerTable,
            Key: { eventId },
            UpdateExpression: "SET claimId = :to, claimPk = :pk, claimSk = :sk, claimedAt = :at",
            ConditionExpression: "claimId = :from",
            ExpressionAttributeValues: {
              ":to": to.id,
              ":pk": to.pk,
              ":sk": to.sk,
              ":at": now(),
              ":from": from,
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async claimRecordsExist(claims) {
      const found = new Set<string>();
      await Promise.all(
        chunk(claims, 100).map(async (part) => {
          let keys: Record<string, unknown>[] | undefined = part.map((c) => ({
            pk: c.pk,
            sk: claimRecordSk(c.id),
          }));
          while (keys && keys.length > 0) {
            const out: BatchGetCommandOutput = await ddb.send(
              new BatchGetCommand({
                RequestItems: {
                  [config.projectionTable]: { Keys: keys, ConsistentRead: true, ProjectionExpression: "sk" },
                },
              }),
            );
            for (const item of out.Responses?.[config.projectionTable] ?? []) {
              found.add(String(item.sk).slice("claim#".length));
            }
            keys = out.UnprocessedKeys?.[config.projectionTable]?.Keys;
          }
        }),
      );
      return found;
    },

    async fence(claim) {
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: config.projectionTable,
            Key: { pk: claim.pk, sk: claim.sk },
            UpdateExpression: "SET #fence = :at",
            ConditionExpression: "attribute_not_exists(#applied)",
            ExpressionAttributeNames: {
              "#fence": fenceMarker(claim.id),
              "#applied": appliedMarker(claim.id),
            },
            ExpressionAttributeValues: { ":at": now() },
          }),
        );
        return "fenced";
      } catch (error) {
        if (isConditionFailure(error)) return "applied";
        throw error;
      }
    },

    async apply(claim, delta, prune) {
      const names: Record<string, string> = {
        "#applied": appliedMarker(claim.id),
        "#fence": fenceMarker(claim.id),
      };
      const values: Record<string, unknown> = { ":at": now() };
      const adds = deltaAttributes(delta).map(([name, amount], i) => {
        names[`#${i}`] = name;
        values[`:${i}`] = amount;
        return `#${i} :${i}`;
      });
      const removes = prune.map((marker, i) => {
        names[`#p${i}`] = marker;
        return `#p${i}`;
      });
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: config.projectionTable,
            Key: { pk: claim.pk, sk: claim.sk },
            UpdateExpression: `SET #applied = :at ADD ${adds.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ConditionExpression: "attribute_not_exists(#applied) AND attribute_not_exists(#fence)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return "applied";
      } catch (error) {
        if (isConditionFailure(error)) return "fenced";
        throw error;
      }
    },

    async putClaimRecord(claim, events) {
      await ddb.send(
        new PutCommand({
          TableName: config.projectionTable,
          Item: { pk: claim.pk, sk: claimRecordSk(claim.id), shardSk: claim.sk, events, appliedAt: now() },
        }),
      );
    },

    async readCampaignShards(campaignId, version = config.projectionVersion) {
      const parts: CampaignDelta[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(
          new QueryCommand({
            TableName: config.projectionTable,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :shard)",
            ExpressionAttributeValues: { ":pk": campaignPk(campaignId), ":shard": shardPrefix(version) },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of out.Items ?? []) parts.push(deltaFromItem(campaignId, item));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return parts;
    },
  };
};

// ---------------------------------------------------------------- status of one event

/** What the ledger says of one eventId: the content recorded under it, and whether it is counted. */
export interface LedgerStatus {
  readonly contentHash: string;
  /** Its claim's record is durable (or it moves no projection): the event is in the totals. */
  readonly counted: boolean;
}

/** Reads for `GET /v1/donations/{eventId}`; apart from Store so the ingest path carries none of it. */
export interface StatusReader {
  /** Undefined when the ledger has no row for the id: still on the queue, or never accepted. */
  ledgerStatus(eventId: string): Promise<LedgerStatus | undefined>;
}

/**
 * Two strongly consistent reads, never a write: the ledger row (content hash and claim), then the
 * claim's record, which exists once the claim's delta is durably in the totals (docs/exactly-once.md).
 */
export const createStatusReader = (config: Config, { ddb }: Pick<Clients, "ddb">): StatusReader => ({
  async ledgerStatus(eventId) {
    const { Item: row } = await ddb.send(
      new GetCommand({
        TableName: config.ledgerTable,
        Key: { eventId },
        ProjectionExpression: "contentHash, claimId, claimPk",
        ConsistentRead: true,
      }),
    );
    if (typeof row?.contentHash !== "string") return undefined;
    if (typeof row.claimId !== "string" || typeof row.claimPk !== "string") {
      return { contentHash: row.contentHash, counted: true };
    }
    const { Item: record } = await ddb.send(
      new GetCommand({
        TableName: config.projectionTable,
        Key: { pk: row.claimPk, sk: claimRecordSk(row.claimId) },
        ProjectionExpression: "sk",
        ConsistentRead: true,
      }),
    );
    return { contentHash: row.contentHash, counted: record !== undefined };
  },
});
