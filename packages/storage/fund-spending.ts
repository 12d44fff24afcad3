import { GetCommand, QueryCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { Busy } from "#domain/errors.ts";
import { availableVnd } from "#domain/funds.ts";
import { fundPartition, receivedMoneyOf } from "#domain/projections/fund-ledger.ts";
import type { FundRef } from "#events/payment.ts";
import type { Clients } from "./clients.ts";
import type { Config } from "./config.ts";
import { isCounter, itemOfSk, itemPrefix } from "./projection-items.ts";

/**
 * What restricted money is already promised to grants, decided when a grant's command arrives
 * (docs/fund-ledger.md). Command-side state in the projection table, outside every projection's key
 * space (`v<n>#…`), so a rebuild neither reads nor writes it:
 * - `pk` = `spend#<fundUnit>#<purpose>`, `sk` = `committed`: `committed`, the money of every grant let
 *   through and not revoked;
 * - same `pk`, `sk` = `g#<supportId>`: one marker per grant (`amountVnd`, `contentHash`, `released`
 *   once revoked), so a retried grant never commits twice and a revocation releases what was committed.
 */
export interface FundSpending {
  /** Money the purpose received in every year (a strongly consistent read of its fund) and committed. */
  balance(fund: FundRef): Promise<{ readonly receivedVnd: number; readonly committedVnd: number }>;
  /**
   * Commits `amountVnd` of the purpose to grant `supportId` if it fits; idempotent per supportId, so a
   * retry (the client's, or the SDK's after a lost answer) commits once.
   */
  commit(fund: FundRef, supportId: string, amountVnd: number, contentHash: string): Promise<CommitResult>;
  /** Gives back what grant `supportId` committed; idempotent, nothing when it committed nothing. */
  release(fund: FundRef, supportId: string): Promise<void>;
  /**
   * Makes grant `supportId` hold `targetVnd` (a correction's money): more only if it fits, as a commit;
   * less always. Idempotent: settling to what the grant already holds changes nothing.
   */
  settle(fund: FundRef, supportId: string, targetVnd: number): Promise<SettleResult>;
}

/** `settled`: the grant holds the target now (or did already); `insufficient`: the increase does not fit. */
export type SettleResult =
  | { readonly outcome: "settled" }
  | { readonly outcome: "insufficient"; readonly availableVnd: number };

/**
 * `committed`: the grant holds its money (now, or already from an earlier attempt); `insufficient`: it
 * does not fit, with what is available; `conflict`: the supportId committed money for another body.
 */
export type CommitResult =
  | { readonly outcome: "committed" }
  | { readonly outcome: "insufficient"; readonly availableVnd: number }
  | { readonly outcome: "conflict" };

const spendPk = (fund: FundRef) => `spend#${fund.unitCode}#${fund.purpose}`;
const committedKey = (fund: FundRef) => ({ pk: spendPk(fund), sk: "committed" });
const markerKey = (fund: FundRef, supportId: string) => ({ pk: spendPk(fund), sk: `g#${supportId}` });

/** Attempts before a busy purpose answers 503: each lost attempt means another grant got in first. */
const MAX_ATTEMPTS = 25;

interface Marker {
  readonly amountVnd: number;
  readonly contentHash: string;
  readonly released: boolean;
}

type Reason = { readonly Code?: string };

/** The cancellation reasons of a refused transaction, or undefined for any other error. */
const reasonsOf = (error: unknown): readonly Reason[] | undefined =>
  error instanceof Error && error.name === "TransactionCanceledException"
    ? ((error as { CancellationReasons?: Reason[] }).CancellationReasons ?? [])
    : undefined;

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 10)));

/**
 * The commitments on the projection table. A grant commits with ONE transaction of two writes: the
 * purpose's `committed` grows by the amount only if it stays within what was received
 * (`committed <= received - amount`, received read just before), and the grant's marker is created only
 * if absent. Two grants racing for the last money both pass the read, but DynamoDB applies their
 * conditional writes one after the other: the second sees the first's `committed` and is refused, then
 * reads again and is answered with what is left.
 */
export const createFundSpending = (
  config: Pick<Config, "projectionTable" | "projectionVersion">,
  { ddb }: Pick<Clients, "ddb">,
): FundSpending => {
  const TableName = config.projectionTable;

  const marker = async (fund: FundRef, supportId: string): Promise<Marker | undefined> => {
    const { Item } = await ddb.send(
      new GetCommand({ TableName, Key: markerKey(fund, supportId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      amountVnd: Number(Item.amountVnd),
      contentHash: String(Item.contentHash),
      released: Item.released !== undefined,
    };
  };

  const receivedVnd = async (fund: FundRef): Promise<number> => {
    const prefix = itemPrefix(config.projectionVersion);
    const items = new Map<string, Record<string, number>>();
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await ddb.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :purpose)",
          ExpressionAttributeValues: {
            ":pk": fundPartition(fund.unitCode),
            ":purpose": `${prefix}${fund.purpose}#`,
          },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const raw of out.Items ?? []) {
        const item = itemOfSk(String(raw.sk), prefix);
        if (item === undefined) continue;
        const counters = items.get(item) ?? {};
        items.set(item, counters);
        for (const [name, value] of Object.entries(raw))
          if (isCounter(name, value)) counters[name] = (counters[name] ?? 0) + value;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return receivedMoneyOf(items, fund.purpose);
  };

  const balance = async (fund: FundRef) => {
    const [received, { Item }] = await Promise.all([
      receivedVnd(fund),
      ddb.send(new GetCommand({ TableName, Key: committedKey(fund), ConsistentRead: true })),
    ]);
    return { receivedVnd: received, committedVnd: Number(Item?.committed ?? 0) };
  };

  /** What an earlier attempt of this very grant left, as the answer to give now; undefined if none. */
  const earlier = async (fund: FundRef, supportId: string, contentHash: string) => {
    const found = await marker(fund, supportId);
    if (found === undefined) return undefined;
    return found.contentHash === contentHash
      ? ({ outcome: "committed" } as const)
      : ({ outcome: "conflict" } as const);
  };

  return {
    balance,
    async commit(fund, supportId, amountVnd, contentHash) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const done = await earlier(fund, supportId, contentHash);
        if (done !== undefined) return done;
        const { receivedVnd: received, committedVnd } = await balance(fund);
        if (received - committedVnd < amountVnd)
          return { outcome: "insufficient", availableVnd: availableVnd(received, committedVnd) };
        try {
          // The SDK gives the transaction one ClientRequestToken and re-sends it unchanged when an
          // answer is lost, so DynamoDB applies it once; the marker covers a client's own retry.
          await ddb.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName,
                    Key: committedKey(fund),
                    UpdateExpression: "SET #committed = if_not_exists(#committed, :zero) + :amount",
                    ConditionExpression: "attribute_not_exists(#committed) OR #committed <= :limit",
                    ExpressionAttributeNames: { "#committed": "committed" },
                    ExpressionAttributeValues: {
                      ":zero": 0,
                      ":amount": amountVnd,
                      ":limit": received - amountVnd,
                    },
                  },
                },
                {
                  Put: {
                    TableName,
                    Item: { ...markerKey(fund, supportId), amountVnd, contentHash },
                    ConditionExpression: "attribute_not_exists(pk)",
                  },
                },
              ],
            }),
          );
          return { outcome: "committed" };
        } catch (error) {
          if (reasonsOf(error) === undefined) {
            // Not a refusal: the transaction may have been applied although its answer was lost.
            const after = await earlier(fund, supportId, contentHash);
            if (after !== undefined) return after;
            throw error;
          }
          // Refused: another grant changed `committed` first, or this grant's marker appeared. Read again.
          await pause(attempt);
        }
      }
      throw new Busy("the restricted fund is busy with other grants; please retry in a moment", 1);
    },
    async release(fund, supportId) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const found = await marker(fund, supportId);
        if (found === undefined || found.released) return;
        try {
          await ddb.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName,
                    Key: markerKey(fund, supportId),
                    UpdateExpression: "SET #released = :yes",
                    ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(#released)",
                    ExpressionAttributeNames: { "#released": "released" },
                    ExpressionAttributeValues: { ":yes": true },
                  },
                },
                {
                  Update: {
                    TableName,
                    Key: committedKey(fund),
                    UpdateExpression: "SET #committed = #committed - :amount",
                    ExpressionAttributeNames: { "#committed": "committed" },
                    ExpressionAttributeValues: { ":amount": found.amountVnd },
                  },
                },
              ],
            }),
          );
          return;
        } catch (error) {
          // A refusal or a lost answer: the marker, read again, says whether it was released.
          if (reasonsOf(error) === undefined) {
            const after = await marker(fund, supportId);
            if (after?.released) return;
            throw error;
          }
          await pause(attempt);
        }
      }
      throw new Busy("the restricted fund is busy with other grants; please retry in a moment", 1);
    },
    async settle(fund, supportId, targetVnd) {
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        const found = await marker(fund, supportId);
        if (found?.released) return { outcome: "settled" };
        const held = found?.amountVnd ?? 0;
        const delta = targetVnd - held;
        if (delta === 0) return { outcome: "settled" };
        let received = 0;
        if (delta > 0) {
          const now = await balance(fund);
          received = now.receivedVnd;
          if (now.receivedVnd - now.committedVnd < delta)
            return { outcome: "insufficient", availableVnd: availableVnd(now.receivedVnd, now.committedVnd) };
        }
        // The marker is changed only from the amount just read, so two settles never apply one delta twice.
        const markerWrite =
          found === undefined
            ? {
                Put: {
                  TableName,
                  Item: { ...markerKey(fund, supportId), amountVnd: targetVnd, contentHash: "" },
                  ConditionExpression: "attribute_not_exists(pk)",
                },
              }
            : {
                Update: {
                  TableName,
                  Key: markerKey(fund, supportId),
                  UpdateExpression: "SET amountVnd = :target",
                  ConditionExpression: "amountVnd = :held AND attribute_not_exists(#released)",
                  ExpressionAttributeNames: { "#released": "released" },
                  ExpressionAttributeValues: { ":target": targetVnd, ":held": held },
                },
              };
        try {
          await ddb.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName,
                    Key: committedKey(fund),
                    UpdateExpression: "SET #committed = if_not_exists(#committed, :zero) + :delta",
                    ...(delta > 0
                      ? { ConditionExpression: "attribute_not_exists(#committed) OR #committed <= :limit" }
                      : {}),
                    ExpressionAttributeNames: { "#committed": "committed" },
                    ExpressionAttributeValues: {
                      ":zero": 0,
                      ":delta": delta,
                      ...(delta > 0 ? { ":limit": received - delta } : {}),
                    },
                  },
                },
                markerWrite,
              ],
            }),
          );
          return { outcome: "settled" };
        } catch (error) {
          // A refusal or a lost answer: the loop reads the marker again, and settles what is left to settle.
          if (reasonsOf(error) === undefined && (await marker(fund, supportId))?.amountVnd !== targetVnd)
            throw error;
          await pause(attempt);
        }
      }
      throw new Busy("the restricted fund is busy with other grants; please retry in a moment", 1);
    },
  };
};
