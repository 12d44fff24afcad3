import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { PledgeOfCode, TransferUnderReview } from "#domain/bank-transfer.ts";
import { donationCodeFor, MAX_CODE_ATTEMPTS } from "#domain/donation-code.ts";
import type { Clients } from "./clients.ts";
import { conditional } from "./conditional.ts";
import type { Config } from "./config.ts";

/**
 * What the bank-transfer door keeps beside the projections (docs/payments.md), all in the projection
 * table under keys no projection, claim or registry item uses (projection items' sort keys start `v<n>#`,
 * which none of these do, so a rebuild never touches them):
 * - `pk=code#<CODE>`, `sk=pledge`: the pledge a donation code names (eventId, campaignId, unitCode,
 *   amountVnd, 0 for goods). Written by the pledge door before it queues the pledge. The transfer door
 *   adds to it what was matched so far (`receivedVnd`) and, per transfer, `t#<eventId>` = what had been
 *   received before that transfer, so a retried transfer reads the outcome it had the first time.
 * - `pk=transfer#<eventId>`, `sk=transfer`: an unmatched transfer, and how staff resolved it.
 * - `pk=review#transfers`, `sk=<eventId>`: one small item per transfer still waiting for staff, deleted
 *   once resolved: the review list is one Query of one partition.
 */
export interface Payments {
  /**
   * Gives the pledge its donation code: the first code of the pledge's probe sequence that is free or
   * already names this pledge (a retry, or a write whose answer was lost). One write in the usual case.
   */
  claimCode(pledge: PledgeOfCode): Promise<string>;
  /** The pledge a code names, read strongly consistent; undefined for a code never issued. */
  pledgeOfCode(code: string): Promise<PledgeOfCode | undefined>;
  /**
   * Counts a transfer's money against the pledge of `code`, once per transfer, and says how much had
   * been counted against it before this one: the same answer for a retry of the same transfer.
   */
  settle(code: string, transferEventId: string, amountVnd: number): Promise<number>;
  /**
   * What transfers matched to the pledge `eventId` brought in so far (its code item's running total), or
   * undefined when the pledge has no code item. Follows the pledge's code sequence as the door wrote it.
   */
  receivedOf(eventId: string): Promise<number | undefined>;
  /**
   * Puts an unmatched transfer on the review list (idempotent). A transfer staff already resolved is not
   * put back, so a notifier's late retry cannot reopen it.
   */
  openReview(transfer: ReviewEntry): Promise<void>;
  /** The transfers waiting for staff, oldest id first, at most `limit`. */
  listReview(limit: number): Promise<ReviewEntry[]>;
  /** An unmatched transfer and its resolution hash if staff resolved it; undefined if never unmatched. */
  readTransfer(transferId: string): Promise<(ReviewEntry & { resolvedHash?: string }) | undefined>;
  /** Records a resolution once: true when it is this one (now or before), false when another one is. */
  resolve(transferId: string, hash: string): Promise<boolean>;
  /** Takes a resolved transfer off the review list (a no-op when it is off already). */
  closeReview(transferId: string): Promise<void>;
}

/** A transfer on the review list: what staff need to recognise it, and what its resolution event carries. */
export interface ReviewEntry extends TransferUnderReview {
  readonly reason: "no-code" | "unknown-code";
  readonly gateway: string;
  readonly accountNumber: string;
  readonly content: string;
  readonly recordedAt: string;
}

const codeKey = (code: string) => ({ pk: `code#${code}`, sk: "pledge" });
const transferKey = (transferId: string) => ({ pk: `transfer#${transferId}`, sk: "transfer" });
const REVIEW_PARTITION = "review#transfers";
const reviewKey = (transferId: string) => ({ pk: REVIEW_PARTITION, sk: transferId });

const pledgeOf = (item: Record<string, unknown>): PledgeOfCode => ({
  eventId: String(item.eventId),
  campaignId: String(item.campaignId),
  unitCode: String(item.unitCode),
  amountVnd: Number(item.amountVnd),
});

const entryOf = (item: Record<string, unknown>): ReviewEntry & { resolvedHash?: string } => ({
  transferEventId: String(item.transferEventId),
  amountVnd: Number(item.amountVnd),
  transactionAt: String(item.transactionAt),
  fund: { unitCode: String(item.fundUnit), purpose: String(item.fundPurpose) },
  reason: item.reason === "no-code" ? "no-code" : "unknown-code",
  gateway: String(item.gateway),
  accountNumber: String(item.accountNumber),
  content: String(item.content),
  recordedAt: String(item.recordedAt),
  ...(typeof item.resolvedHash === "string" ? { resolvedHash: item.resolvedHash } : {}),
});

const itemOf = (entry: ReviewEntry) => ({
  transferEventId: entry.transferEventId,
  amountVnd: entry.amountVnd,
  transactionAt: entry.transactionAt,
  fundUnit: entry.fund.unitCode,
  fundPurpose: entry.fund.purpose,
  reason: entry.reason,
  gateway: entry.gateway,
  accountNumber: entry.accountNumber,
  content: entry.content,
  recordedAt: entry.recordedAt,
});

/** Rounds of read-then-conditional-write before settling a transfer gives up (the notifier retries). */
const MAX_SETTLE_ROUNDS = 5;

/** Thrown when every code of a pledge's probe sequence is taken: something is wrong, not bad luck. */
export class NoFreeDonationCode extends Error {
  override readonly name = "NoFreeDonationCode";
}

/** The bank-transfer door's items on the projection table (config.projectionTable). */
export const createPayments = (
  config: Pick<Config, "projectionTable">,
  { ddb }: Pick<Clients, "ddb">,
): Payments => {
  const TableName = config.projectionTable;
  const pledgeOfCode = async (code: string) => {
    const { Item } = await ddb.send(new GetCommand({ TableName, Key: codeKey(code), ConsistentRead: true }));
    return Item === undefined ? undefined : pledgeOf(Item);
  };
  const readTransfer = async (transferId: string) => {
    const { Item } = await ddb.send(
      new GetCommand({ TableName, Key: transferKey(transferId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : entryOf(Item);
  };
  return {
    async claimCode(pledge) {
      for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
        const code = donationCodeFor(pledge.eventId, attempt);
        const written = await conditional(() =>
          ddb.send(
            new PutCommand({
              TableName,
              Item: { ...codeKey(code), ...pledge },
              ConditionExpression: "attribute_not_exists(pk)",
            }),
          ),
        );
        if (written) return code;
        // Refused: the code is taken, perhaps by this very pledge (a retry, or the SDK re-sent a put whose
        // answer was lost). Only another pledge's item sends us on to the next code.
        const holder = await pledgeOfCode(code);
        if (holder?.eventId === pledge.eventId) return code;
      }
      throw new NoFreeDonationCode(`no free donation code for pledge ${pledge.eventId}`);
    },

    pledgeOfCode,

    async receivedOf(eventId) {
      for (let attempt = 0; attempt < MAX_CODE_ATTEMPTS; attempt++) {
        const { Item } = await ddb.send(
          new GetCommand({ TableName, Key: codeKey(donationCodeFor(eventId, attempt)) }),
        );
        // The door stops at the first free code of the sequence: no item there, no item further on.
        if (Item === undefined) return undefined;
        if (Item.eventId === eventId) return typeof Item.receivedVnd === "number" ? Item.receivedVnd : 0;
      }
      return undefined;
    },

    async settle(code, transferEventId, amountVnd) {
      const marker = `t#${transferEventId}`;
      // Optimistic: read what was received, write it plus this transfer if nobody changed it meanwhile.
      for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
        const { Item } = await ddb.send(
          new GetCommand({ TableName, Key: codeKey(code), ConsistentRead: true }),
        );
        if (Item === undefined) throw new Error(`donation code ${code}: no pledge to settle against`);
        // Counted already (a retry, or a write whose answer was lost): what it read then.
        if (typeof Item[marker] === "number") return Item[marker];
        const before = typeof Item.receivedVnd === "number" ? Item.receivedVnd : 0;
        const written = await conditional(() =>
          ddb.send(
            new UpdateCommand({
              TableName,
              Key: codeKey(code),
              UpdateExpression: "SET #marker = :before, receivedVnd = :after",
              ConditionExpression:
                "attribute_not_exists(#marker) AND (receivedVnd = :before OR (attribute_not_exists(receivedVnd) AND :before = :zero))",
              ExpressionAttributeNames: { "#marker": marker },
              ExpressionAttributeValues: { ":before": before, ":after": before + amountVnd, ":zero": 0 },
            }),
          ),
        );
        if (written) return before;
      }
      throw new Error(`donation code ${code}: too many transfers at once`);
    },

    async openReview(entry) {
      const created = await conditional(() =>
        ddb.send(
          new PutCommand({
            TableName,
            Item: { ...transferKey(entry.transferEventId), ...itemOf(entry) },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
      if (!created && (await readTransfer(entry.transferEventId))?.resolvedHash !== undefined) return;
      await conditional(() =>
        ddb.send(
          new PutCommand({
            TableName,
            Item: { ...reviewKey(entry.transferEventId), ...itemOf(entry) },
            ConditionExpression: "attribute_not_exists(pk)",
          }),
        ),
      );
    },

    async listReview(limit) {
      const { Items } = await ddb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": REVIEW_PARTITION },
          ConsistentRead: true,
          Limit: limit,
        }),
      );
      return (Items ?? []).map(entryOf);
    },

    readTransfer,

    resolve: (transferId, hash) =>
      conditional(() =>
        ddb.send(
          new UpdateCommand({
            TableName,
            Key: transferKey(transferId),
            UpdateExpression: "SET resolvedHash = :hash",
            ConditionExpression:
              "attribute_exists(pk) AND (attribute_not_exists(resolvedHash) OR resolvedHash = :hash)",
            ExpressionAttributeValues: { ":hash": hash },
          }),
        ),
      ),

    async closeReview(transferId) {
      await ddb.send(new DeleteCommand({ TableName, Key: reviewKey(transferId) }));
    },
  };
};
