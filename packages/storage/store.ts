import { randomInt, randomUUID } from "node:crypto";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import {
  BatchExecuteStatementCommand,
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { toVietnamIso } from "#domain/time.ts";
import type { DomainEvent } from "#events/index.ts";
import { asciiJson, escapeNonAscii } from "./ascii-json.ts";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";
import {
  appliedMarker,
  batchExcludedAttribute,
  batchRecordKey,
  type Claim,
  type ClaimRef,
  claimKey,
  claimRecordSk,
  fenceMarker,
  isCounter,
  itemOfSk,
  itemPrefix,
  MEMBER_SK,
  memberPk,
  parseRef,
  refText,
  setAttribute,
} from "./projection-items.ts";

/**
 * The one module that knows how events and projections are laid out in DynamoDB and SQS.
 *
 * Ledger item (table keyed by eventId): the event as accepted (JSON text), its content hash, and the
 * batch claim (`claim`, a {@link ClaimRef}) that carries each of its contributions into its projection
 * item, unless a part was moved (`mv#<partition>|<item>`). Projection items, claim markers and records
 * and member rows are laid out as projection-items.ts describes; docs/exactly-once.md explains the
 * protocol. The read-only status of one pledge is in status-reader.ts.
 */

// Keys and attribute names of projection items live in projection-items.ts; re-exported so callers keep
// one storage module to import from.
export {
  appliedMarker,
  type Claim,
  type ClaimRef,
  claimKey,
  claimOn,
  claimRecordSk,
  fenceMarker,
  itemOfSk,
  itemSk,
  movedAttribute,
  parseRef,
  refText,
  targetKey,
} from "./projection-items.ts";

import { isConditionFailure } from "./conditional.ts";

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
  /** The event as the ledger holds it (JSON text); see {@link eventOfLedgerItem}. */
  readonly event?: unknown;
  /** The batch claim its parts were inserted with; absent for events that move no projection. */
  readonly claim?: ClaimRef;
  /** Parts moved to another claim since, by target key (`<partition>|<item>`). */
  readonly moved: ReadonlyMap<string, ClaimRef>;
}

/**
 * A member row's set attribute: the claim that counts the member there, and the event whose part it is
 * (`<ref>/<eventId>`): that event's message stays on the queue until the claim is settled, so only it
 * need ever settle the part.
 */
const memberValue = (ref: ClaimRef, owner: string): string => `${refText(ref)}/${owner}`;
const ownerOf = (value: unknown): string => (typeof value === "string" ? (value.split("/")[4] ?? "") : "");

/** A ledger item as DynamoDB returns it, read into a row. */
const rowOf = (item: Record<string, unknown>): LedgerRow => {
  const moved = new Map<string, ClaimRef>();
  for (const [name, value] of Object.entries(item)) {
    const ref = name.startsWith("mv#") ? parseRef(value) : undefined;
    if (ref) moved.set(name.slice(3), ref);
  }
  const claim = parseRef(item.claim);
  return {
    eventId: String(item.eventId),
    contentHash: String(item.contentHash),
    event: item.event,
    ...(claim ? { claim } : {}),
    moved,
  };
};

/**
 * What a member row says of one set: this call's claim counted the member, another did (for the event
 * `owner`, whose message stays on the queue until that claim is settled), or unknown.
 */
export type FirstResult =
  | { readonly result: "mine" }
  | { readonly result: "exists"; readonly ref: ClaimRef; readonly owner: string; readonly value: string }
  /** Neither seen written nor found after the retries: the write may still land naming this claim. */
  | { readonly result: "unknown"; readonly error: unknown };

/** The facts a claim record holds: which events were left out of the claim's delta (see {@link Store.apply}). */
export interface ClaimRecord {
  readonly excluded: ReadonlySet<string>;
}

/**
 * The old item a refused conditional write hands back (ReturnValuesOnConditionCheckFailure ALL_OLD).
 * lib-dynamodb unmarshalls outputs but not errors, so the item comes as raw attribute values.
 */
type RawItem = Record<string, { S?: string; N?: string } | undefined>;
const itemOfFailure = (error: unknown): RawItem | undefined =>
  (error as { Item?: RawItem } | undefined)?.Item;
const stringOf = (item: RawItem | undefined, name: string): string | undefined => item?.[name]?.S;

/**
 * The events a claim left out of its delta, as written on its `a#` marker or claim record: a string
 * `x:<id>,<id>` (a number, the usual marker, means none were).
 */
export const excludedOf = (value: unknown): Set<string> => {
  const text = typeof value === "string" ? value : ((value as { S?: string } | undefined)?.S ?? undefined);
  return new Set(text?.startsWith("x:") ? text.slice(2).split(",").filter(Boolean) : []);
};
const excludedValue = (excluded: readonly string[]): string | undefined =>
  excluded.length > 0 ? `x:${[...new Set(excluded)].sort().join(",")}` : undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Backoff with full jitter: a throttled table recovers faster when retries do not arrive together. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(1_000, 25 * 2 ** attempt));
/** Rounds of one batch call inside an invocation, for what was throttled or unprocessed. */
const MAX_ROUNDS = 6;

/** Distinct values by key, first one kept: DynamoDB refuses a batch that names one key twice. */
const distinct = <T>(items: readonly T[], keyOf: (item: T) => string): T[] => {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(keyOf(item))) seen.set(keyOf(item), item);
  return [...seen.values()];
};

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export type InsertResult =
  /** The row holds this call's claim: inserted now, or by an attempt whose answer was lost. */
  | { readonly result: "inserted" }
  /** Already in the ledger under another claim (or none): the row as it is, read strongly consistent. */
  | { readonly result: "exists"; readonly row: LedgerRow | undefined }
  /**
   * Neither seen written nor refused after every retry: the row may still appear later, naming the
   * claim it was sent with (a request can land after its caller gave up on it).
   */
  | { readonly result: "unknown"; readonly error: unknown };

export type FenceOutcome =
  | { readonly outcome: "fenced" }
  /** `recorded`: its claim record exists; otherwise only its `a#` marker says it was applied. */
  | { readonly outcome: "applied"; readonly recorded: boolean; readonly excluded: ReadonlySet<string> };

export interface Store {
  readonly config: Config;
  /** The content hash of an event already in the ledger, read strongly consistent. */
  ledgerHash(eventId: string): Promise<string | undefined>;
  enqueue(event: DomainEvent): Promise<void>;
  deadLetter(body: string, reason: string): Promise<void>;
  /** Ledger rows, strongly consistent, with their events. */
  readLedger(eventIds: readonly string[]): Promise<Map<string, LedgerRow>>;
  /**
   * Conditional inserts: an eventId already in the ledger is never overwritten. Whatever did not come
   * back as written (refused, failed, throttled) is read back before it is decided: a row naming the
   * entry's own claim is this call's; another row is returned with its event.
   */
  insertLedger(
    entries: readonly { event: DomainEvent; claim?: ClaimRef }[],
  ): Promise<Map<string, InsertResult>>;
  /**
   * Moves one part of an event (its contribution to the item `target`, a target key) from a claim that
   * will never carry it to a new one: true once the row names `to` for it (also when the answer to a
   * write that did it was lost), false when it names another claim. Throws when the outcome stays unknown.
   */
  reclaim(eventId: string, target: string, from: ClaimRef, to: ClaimRef): Promise<boolean>;
  /**
   * Names `ref` as the claim that counts `member` in each of `sets` where no claim does yet (one write
   * per member row, whatever the number of sets), and says for each set which claim does. Read back when
   * the answer is lost: an attribute naming `ref` is this call's.
   */
  claimFirsts(
    member: string,
    sets: readonly { readonly set: string; readonly ref: ClaimRef; readonly owner: string }[],
  ): Promise<Map<string, FirstResult>>;
  /** {@link reclaim} for a member in a set: from the attribute's value `from` to `to`, for `owner`. */
  reclaimFirst(member: string, set: string, from: string, to: ClaimRef, owner: string): Promise<boolean>;
  /** The claim records that exist among these claims, by {@link claimKey}. */
  claimRecords(claims: readonly Claim[]): Promise<Map<string, ClaimRecord>>;
  /**
   * Fences a claim so that it can never be applied, unless it was applied already (its `a#` marker or
   * its record exists): then answers "applied" with the events it left out.
   */
  fence(claim: Claim): Promise<FenceOutcome>;
  /**
   * Applies a claim's delta to its shard item once: "applied" (also when an earlier attempt of this
   * call did it and its answer was lost), or "fenced" if the claim was abandoned meanwhile. `excluded`
   * names members of the claim whose ledger row may name it but whose event is not in the delta.
   */
  apply(
    claim: Claim,
    counters: Readonly<Record<string, number>>,
    prune: readonly string[],
    excluded?: readonly string[],
  ): Promise<"applied" | "fenced">;
  /** The record of one claim on one item: when not every claim of its batch was applied. */
  putClaimRecord(claim: Claim, events: number, excluded?: Iterable<string>): Promise<void>;
  /**
   * The record of a whole batch claim, once every claim it made was applied: it makes all of them durable
   * in one write, with what each left out.
   */
  putBatchRecord(
    claimId: string,
    events: number,
    claims: readonly { readonly claim: Claim; readonly excluded: readonly string[] }[],
  ): Promise<void>;
  /**
   * The counters of every item of a registered projection's partition in the given version (the
   * configured one by default), the shards of each item summed: one Query, whatever the number of events.
   */
  readPartition(partition: string, version?: number): Promise<Map<string, Record<string, number>>>;
}

/** A new batch claim: one shard for all the items the batch touches, so its writes spread over shards. */
export const newClaimRef = (
  config: Pick<Config, "projectionShards" | "projectionVersion">,
  claimedAt: number,
): ClaimRef => ({
  id: `${Date.now().toString(36)}${randomUUID().slice(0, 8)}`,
  version: config.projectionVersion,
  shard: randomInt(config.projectionShards),
  claimedAt,
});

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
  /**
   * Every key once (DynamoDB refuses duplicates), 100 to a request, strongly consistent; unprocessed
   * keys go round again with backoff, a bounded number of times, then the call fails.
   */
  const batchGet = async (
    table: string,
    keys: readonly Record<string, string>[],
    projection?: { expression: string; names?: Record<string, string> },
  ): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    const unique = distinct(keys, (k) => JSON.stringify(Object.entries(k).sort()));
    await Promise.all(
      chunk(unique, 100).map((part) =>
        inFlight(async () => {
          let pending: Record<string, unknown>[] = part;
          for (let round = 0; pending.length > 0; round++) {
            if (round === MAX_ROUNDS)
              throw new Error(`${pending.length} keys of ${table} stayed unprocessed`);
            if (round > 0) await backoff(round);
            const out: BatchGetCommandOutput = await ddb.send(
              new BatchGetCommand({
                RequestItems: {
                  [table]: {
                    Keys: pending,
                    ConsistentRead: true,
                    ...(projection ? { ProjectionExpression: projection.expression } : {}),
                    ...(projection?.names ? { ExpressionAttributeNames: projection.names } : {}),
                  },
                },
              }),
            );
            items.push(...(out.Responses?.[table] ?? []));
            pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
          }
        }),
      ),
    );
    return items;
  };
  // Whole rows: a row is under 4 KB, so a strongly consistent read costs the same with or without its
  // event, and the `mv#` attributes cannot be named in a projection expression ahead of time.
  const readLedger = async (eventIds: readonly string[]): Promise<Map<string, LedgerRow>> => {
    const items = await batchGet(
      config.ledgerTable,
      eventIds.map((eventId) => ({ eventId })),
    );
    return new Map(items.map((item) => [String(item.eventId), rowOf(item)]));
  };
  /** Reads one member row back, strongly consistent: the claim named in each set attribute. */
  const readMember = async (member: string): Promise<Record<string, unknown>> => {
    const { Item } = await ddb.send(
      new GetCommand({
        TableName: config.projectionTable,
        Key: { pk: memberPk(member), sk: MEMBER_SK },
        ConsistentRead: true,
      }),
    );
    return Item ?? {};
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
      const claimOf = new Map(entries.map(({ event, claim }) => [event.eventId, claim?.id]));
      // Each entry carries its own claim's time: a claim is as old as the batch that made it.
      // PartiQL INSERT refuses, per statement, a key that exists: a conditional put, 25 to a request.
      // The row is the event as JSON text plus what the protocol needs, nothing copied out of the event:
      // DynamoDB (and Local twice as much) handles one string far faster than a map or many attributes.
      const send = async (part: readonly { event: DomainEvent; claim?: ClaimRef }[]) => {
        const out = await ddb.send(
          new BatchExecuteStatementCommand({
            Statements: part.map(({ event, claim }) => ({
              Statement: `INSERT INTO "${config.ledgerTable}" VALUE {'eventId': ?, 'contentHash': ?, 'event': ?${claim ? ", 'claim': ?" : ""}${"actor" in event ? ", 'auditUnit': ?, 'auditAt': ?" : ""}}`,
              Parameters: [
                event.eventId,
                event.source.contentHash,
                JSON.stringify(event),
                ...(claim ? [refText(claim)] : []),
                ...auditAttributes(event),
              ],
            })),
          }),
        );
        return part.map((_, i) => out.Responses?.[i]?.Error);
      };
      // Every write may have happened although its call failed, and a refusal may be the echo of this
      // very insert (the SDK re-sent a request whose answer was lost): what did not come back as written
      // is read back, and a row naming this entry's claim is this entry's. What is missing is sent again.
      let pending = distinct(entries, (e) => e.event.eventId);
      for (let round = 0; pending.length > 0 && round < MAX_ROUNDS; round++) {
        if (round > 0) await backoff(round);
        const toRead: string[] = [];
        await Promise.all(
          chunk(pending, 25).map((part) =>
            inFlight(async () => {
              try {
                const errors = await send(part);
                part.forEach(({ event }, i) => {
                  const error = errors[i];
                  if (error === undefined) results.set(event.eventId, { result: "inserted" });
                  else {
                    results.set(event.eventId, { result: "unknown", error });
                    toRead.push(event.eventId);
                  }
                });
              } catch (error) {
                for (const { event } of part) {
                  results.set(event.eventId, { result: "unknown", error });
                  toRead.push(event.eventId);
                }
              }
            }),
          ),
        );
        if (toRead.length === 0) break;
        let rows: Map<string, LedgerRow>;
        try {
          rows = await readLedger(toRead);
        } catch {
          // Nothing learnt: the next round sends them again (a conditional insert is safe to repeat).
          pending = pending.filter((e) => toRead.includes(e.event.eventId));
          continue;
        }
        for (const id of toRead) {
          const row = rows.get(id);
          if (row === undefined) continue;
          const mine = row.claim !== undefined && row.claim.id === claimOf.get(id);
          results.set(id, mine ? { result: "inserted" } : { result: "exists", row });
        }
        pending = pending.filter((e) => results.get(e.event.eventId)?.result === "unknown");
      }
      return results;
    },

    async reclaim(eventId, target, from, to) {
      const moved = `mv#${target}`;
      const isTo = (value: unknown) => parseRef(value)?.id === to.id;
      try {
        // The part is on `from` when its `mv#` attribute names it, or when there is none and the row's
        // batch claim does.
        await ddb.send(
          new UpdateCommand({
            TableName: config.ledgerTable,
            Key: { eventId },
            UpdateExpression: "SET #mv = :to",
            ConditionExpression: "#mv = :from OR (attribute_not_exists(#mv) AND #claim = :from)",
            ExpressionAttributeNames: { "#mv": moved, "#claim": "claim" },
            ExpressionAttributeValues: { ":to": refText(to), ":from": refText(from) },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return true;
      } catch (error) {
        // A refusal may answer the SDK's second attempt of a write whose first attempt moved the part.
        if (isConditionFailure(error)) return isTo(stringOf(itemOfFailure(error), moved));
        // Failed, or done with the answer lost: the row says which.
        const row = (await readLedger([eventId])).get(eventId);
        const current = row?.moved.get(target) ?? row?.claim;
        if (current?.id === to.id) return true;
        if (current?.id !== from.id) return false;
        // Still on the old claim: the write may yet land, so the outcome stays unknown.
        throw error;
      }
    },

    async claimFirsts(member, sets) {
      const results = new Map<string, FirstResult>();
      const names: Record<string, string> = {};
      const values: Record<string, string> = {};
      const terms = sets.map(({ set, ref, owner }, i) => {
        names[`#s${i}`] = setAttribute(set);
        values[`:v${i}`] = memberValue(ref, owner);
        return `#s${i} = if_not_exists(#s${i}, :v${i})`;
      });
      const settle = (item: Record<string, unknown>, error?: unknown) => {
        for (const { set, ref } of sets) {
          const value = item[setAttribute(set)];
          const named = parseRef(value);
          if (named === undefined) results.set(set, { result: "unknown", error });
          else if (named.id === ref.id) results.set(set, { result: "mine" });
          else
            results.set(set, { result: "exists", ref: named, owner: ownerOf(value), value: String(value) });
        }
      };
      try {
        const out = await ddb.send(
          new UpdateCommand({
            TableName: config.projectionTable,
            Key: { pk: memberPk(member), sk: MEMBER_SK },
            UpdateExpression: `SET ${terms.join(", ")}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: "ALL_NEW",
          }),
        );
        settle(out.Attributes ?? {});
      } catch (error) {
        // Done with the answer lost, or not done: the row says which, set by set; what it does not
        // show may still land later, so it stays unknown.
        try {
          settle(await readMember(member), error);
        } catch {
          for (const { set } of sets) results.set(set, { result: "unknown", error });
        }
      }
      return results;
    },

    async reclaimFirst(member, set, from, to, owner) {
      const attribute = setAttribute(set);
      const isTo = (value: unknown) => parseRef(value)?.id === to.id;
      try {
        await ddb.send(
          new UpdateCommand({
            TableName: config.projectionTable,
            Key: { pk: memberPk(member), sk: MEMBER_SK },
            UpdateExpression: "SET #s = :to",
            ConditionExpression: "#s = :from",
            ExpressionAttributeNames: { "#s": attribute },
            ExpressionAttributeValues: { ":to": memberValue(to, owner), ":from": from },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return isTo(stringOf(itemOfFailure(error), attribute));
        const current = (await readMember(member))[attribute];
        if (parseRef(current)?.id === to.id) return true;
        if (current !== from) return false;
        throw error;
      }
    },

    async claimRecords(claims) {
      // Both records of each claim: its batch's, and its own (written when only part of a batch applied).
      const items = await batchGet(config.projectionTable, [
        ...claims.map((c) => ({ pk: c.pk, sk: claimRecordSk(c) })),
        ...claims.map((c) => batchRecordKey(c.id)),
      ]);
      const found = new Map(items.map((item) => [`${String(item.pk)}|${String(item.sk)}`, item]));
      const records = new Map<string, ClaimRecord>();
      for (const claim of claims) {
        const own = found.get(`${claim.pk}|${claimRecordSk(claim)}`);
        const batch = found.get(`${batchRecordKey(claim.id).pk}|${batchRecordKey(claim.id).sk}`);
        if (own) records.set(claimKey(claim), { excluded: excludedOf(own.excluded) });
        else if (batch)
          records.set(claimKey(claim), { excluded: excludedOf(batch[batchExcludedAttribute(claim)]) });
      }
      return records;
    },

    async fence(claim) {
      // One transaction: neither record of the claim may exist and its item must not carry `a#`. The
      // marker alone is not enough: it is pruned once a record is written, and a fence sent before the
      // pruning can arrive after it. Fences follow crashes only, so the transaction's double cost is rare.
      try {
        await ddb.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: config.projectionTable,
                  Key: { pk: claim.pk, sk: claimRecordSk(claim) },
                  ConditionExpression: "attribute_not_exists(pk)",
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                },
              },
              {
                ConditionCheck: {
                  TableName: config.projectionTable,
                  Key: batchRecordKey(claim.id),
                  ConditionExpression: "attribute_not_exists(pk)",
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                },
              },
              {
                Update: {
                  TableName: config.projectionTable,
                  Key: { pk: claim.pk, sk: claim.sk },
                  UpdateExpression: "SET #fence = :at",
                  ConditionExpression: "attribute_not_exists(#applied)",
                  ExpressionAttributeNames: {
                    "#fence": fenceMarker(claim.id),
                    "#applied": appliedMarker(claim.id),
                  },
                  ExpressionAttributeValues: { ":at": `t:${now()}` },
                  ReturnValuesOnConditionCheckFailure: "ALL_OLD",
                },
              },
            ],
          }),
        );
        // Fenced now, or (a re-sent request) fenced already: either way it can never be applied.
        return { outcome: "fenced" };
      } catch (error) {
        const reasons = (error as { CancellationReasons?: { Code?: string; Item?: RawItem }[] })
          .CancellationReasons;
        if (error instanceof Error && error.name === "TransactionCanceledException" && reasons) {
          const [record, batch, shard] = reasons;
          if (record?.Code === "ConditionalCheckFailed")
            return { outcome: "applied", recorded: true, excluded: excludedOf(record.Item?.excluded) };
          if (batch?.Code === "ConditionalCheckFailed")
            return {
              outcome: "applied",
              recorded: true,
              excluded: excludedOf(batch.Item?.[batchExcludedAttribute(claim)]),
            };
          if (shard?.Code === "ConditionalCheckFailed")
            return {
              outcome: "applied",
              recorded: false,
              excluded: excludedOf(shard.Item?.[appliedMarker(claim.id)]),
            };
        }
        throw error;
      }
    },

    async apply(claim, counters, prune, excluded = []) {
      const names: Record<string, string> = {
        "#applied": appliedMarker(claim.id),
        "#fence": fenceMarker(claim.id),
      };
      // Markers are strings, so that a read of the item never takes one for a counter.
      const values: Record<string, unknown> = { ":at": excludedValue(excluded) ?? `t:${now()}` };
      const adds = Object.entries(counters).map(([name, amount], i) => {
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
            UpdateExpression: `SET #applied = :at${adds.length ? ` ADD ${adds.join(", ")}` : ""}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
            ConditionExpression: "attribute_not_exists(#applied) AND attribute_not_exists(#fence)",
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return "applied";
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Only this call applies this claim: its own marker means an earlier attempt did, answer lost.
        // (The marker is pruned only after the record is written, which this call has not done yet.)
        const old = itemOfFailure(error);
        return old?.[appliedMarker(claim.id)] !== undefined ? "applied" : "fenced";
      }
    },

    async putClaimRecord(claim, events, excluded = []) {
      const ids = excludedValue([...excluded]);
      await ddb.send(
        new PutCommand({
          TableName: config.projectionTable,
          Item: {
            pk: claim.pk,
            sk: claimRecordSk(claim),
            itemSk: claim.sk,
            events,
            appliedAt: now(),
            ...(ids ? { excluded: ids } : {}),
          },
        }),
      );
    },

    async putBatchRecord(claimId, events, claims) {
      const excluded: Record<string, string> = {};
      for (const { claim, excluded: ids } of claims) {
        const value = excludedValue([...ids]);
        if (value) excluded[batchExcludedAttribute(claim)] = value;
      }
      await ddb.send(
        new PutCommand({
          TableName: config.projectionTable,
          Item: { ...batchRecordKey(claimId), events, items: claims.length, appliedAt: now(), ...excluded },
        }),
      );
    },
    async readPartition(partition, version = config.projectionVersion) {
      const items = new Map<string, Record<string, number>>();
      const prefix = itemPrefix(version);
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await ddb.send(
          new QueryCommand({
            TableName: config.projectionTable,
            KeyConditionExpression: "pk = :pk AND begins_with(sk, :v)",
            ExpressionAttributeValues: { ":pk": partition, ":v": prefix },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const raw of out.Items ?? []) {
          const item = itemOfSk(String(raw.sk), prefix);
          if (item === undefined) continue;
          const counters = items.get(item) ?? {};
          items.set(item, counters);
          for (const [name, value] of Object.entries(raw)) {
            if (!isCounter(name, value)) continue;
            counters[name] = (counters[name] ?? 0) + value;
          }
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
  };
};
