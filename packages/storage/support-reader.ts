import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";
import { eventOfLedgerItem } from "./store.ts";

/** One ledger row as the amending routes need it: the content hash recorded and the event. */
export interface RecordedEvent {
  readonly contentHash: string;
  readonly event: unknown;
}

/**
 * Reads of whole events from the ledger, for routes that amend what was recorded (a support correction or
 * revocation, a sponsorship's end) and must restate it from the ledger rather than from the client.
 */
export interface LedgerReader {
  /** Undefined when the ledger has no row for the id: still on the queue, or never accepted. */
  recorded(eventId: string): Promise<RecordedEvent | undefined>;
}

/** One strongly consistent GetItem: an amendment must see the grant or start the moment it is recorded. */
export const createLedgerReader = (config: Config, { ddb }: Pick<Clients, "ddb">): LedgerReader => ({
  async recorded(eventId) {
    const { Item } = await ddb.send(
      new GetCommand({
        TableName: config.ledgerTable,
        Key: { eventId },
        ProjectionExpression: "contentHash, #event",
        ExpressionAttributeNames: { "#event": "event" },
        ConsistentRead: true,
      }),
    );
    if (typeof Item?.contentHash !== "string" || Item.event === undefined) return undefined;
    return { contentHash: Item.contentHash, event: eventOfLedgerItem(Item) };
  },
});
