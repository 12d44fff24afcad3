import { BatchGetCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type DomainEvent, DomainEvent as DomainEventSchema } from "#events/index.ts";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";
import {
  batchExcludedAttribute,
  batchRecordKey,
  claimOn,
  claimRecordSk,
  parseRef,
  targetKey,
} from "./projection-items.ts";
import { partsOf } from "./projector.ts";
import { eventOfLedgerItem, excludedOf } from "./store.ts";

/** What the ledger says of one eventId: the content recorded under it, and whether it is counted. */
export interface LedgerStatus {
  readonly contentHash: string;
  /** Every claim that carries a part of it is durable (or it moves no projection): it is in the totals. */
  readonly counted: boolean;
}

/** The ledger row of one eventId: the content hash recorded under it and its event, if it parses. */
export interface LedgerRecord {
  readonly contentHash: string;
  readonly event: DomainEvent | undefined;
}

/** Reads for `GET /v1/donations/{eventId}`; apart from Store so the ingest path carries none of it. */
export interface StatusReader {
  /** Undefined when the ledger has no row for the id: still on the queue, or never accepted. */
  ledgerStatus(eventId: string): Promise<LedgerStatus | undefined>;
  /** The ledger row, read strongly consistent; undefined when there is none (yet). For the receipt. */
  ledgerRecord(eventId: string): Promise<LedgerRecord | undefined>;
}

/**
 * Strongly consistent reads, never a write: the ledger row (content hash, event and claims), then the
 * records of the claims that carry its parts, which exist once their counters are durably in the totals
 * (docs/exactly-once.md).
 */
export const createStatusReader = (config: Config, { ddb }: Pick<Clients, "ddb">): StatusReader => ({
  async ledgerRecord(eventId) {
    const { Item: row } = await ddb.send(
      new GetCommand({ TableName: config.ledgerTable, Key: { eventId }, ConsistentRead: true }),
    );
    if (typeof row?.contentHash !== "string") return undefined;
    const parsed = DomainEventSchema.safeParse(eventOfLedgerItem(row));
    return { contentHash: row.contentHash, event: parsed.success ? parsed.data : undefined };
  },
  async ledgerStatus(eventId) {
    const { Item: row } = await ddb.send(
      new GetCommand({ TableName: config.ledgerTable, Key: { eventId }, ConsistentRead: true }),
    );
    if (typeof row?.contentHash !== "string") return undefined;
    const batchClaim = parseRef(row.claim);
    const parsed = DomainEventSchema.safeParse(eventOfLedgerItem(row));
    if (batchClaim === undefined || !parsed.success) return { contentHash: row.contentHash, counted: true };
    const event: DomainEvent = parsed.data;
    const claims = partsOf({ event, messageIds: [] }, event)
      .filter((part) => !part.first)
      .map((part) => claimOn(parseRef(row[`mv#${targetKey(part.target)}`]) ?? batchClaim, part.target));
    if (claims.length === 0) return { contentHash: row.contentHash, counted: true };
    // Each claim is durable by its own record or its batch's; the batch's is one key for all of them.
    const keys = new Map<string, { pk: string; sk: string }>();
    for (const c of claims) {
      keys.set(`${c.pk}|${claimRecordSk(c)}`, { pk: c.pk, sk: claimRecordSk(c) });
      const batch = batchRecordKey(c.id);
      keys.set(`${batch.pk}|${batch.sk}`, batch);
    }
    const out = await ddb.send(
      new BatchGetCommand({
        RequestItems: { [config.projectionTable]: { Keys: [...keys.values()], ConsistentRead: true } },
      }),
    );
    const found = new Map(
      (out.Responses?.[config.projectionTable] ?? []).map((item) => [
        `${String(item.pk)}|${String(item.sk)}`,
        item,
      ]),
    );
    // A recorded claim that left this event out of its counters did not count it: a later batch moves
    // it on. Keys left unprocessed count as not yet known, so the answer errs towards "queued".
    const counted = claims.every((c) => {
      const own = found.get(`${c.pk}|${claimRecordSk(c)}`);
      const batch = found.get(`${batchRecordKey(c.id).pk}|${batchRecordKey(c.id).sk}`);
      const excluded = own ? own.excluded : batch?.[batchExcludedAttribute(c)];
      return (own !== undefined || batch !== undefined) && !excludedOf(excluded).has(eventId);
    });
    return { contentHash: row.contentHash, counted };
  },
});
