import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";
import { claimRecordSk, excludedOf } from "./store.ts";

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
        ProjectionExpression: "sk, excluded",
        ConsistentRead: true,
      }),
    );
    // A recorded claim that left this event out of its delta did not count it: a later batch moves it on.
    const counted = record !== undefined && !excludedOf(record.excluded).has(eventId);
    return { contentHash: row.contentHash, counted };
  },
});
