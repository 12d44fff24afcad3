import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import type { Projection } from "#domain/projections/contract.ts";
import { projections as registry } from "#domain/projections/index.ts";
import { prng } from "#local/chaos/random.ts";
import { bankTransfers, type PaymentWorkload } from "#local/payment-workload.ts";
import { MismatchError } from "./check.ts";
import { foldAll } from "./fold.ts";
import { type DrainExtras, drainBaseline, drainOurs, type Harness, perEvent } from "./mixed.ts";
import { round, spreadOf } from "./stats.ts";

/**
 * The payments workload of `npm run bench` (docs/benchmark.md, "payments"): bank-transfer notifications
 * as the bank-transfer door enqueues them (`BankTransferReceived`, a handful of `BankTransferSent`), 30%
 * delivered twice, through our projector and through the Powertools consumer doing the same projections,
 * in the same run. Both sides fold every registered projection, so the fund ledger's counters are in the
 * figures as soon as its projection is registered; until then the events move no counter and both sides
 * only record each notification once.
 */

export interface PaymentsOptions {
  readonly seed: number;
  readonly repeats: number;
  /** Distinct notifications of the timed drains. */
  readonly notifications: number;
  /**
   * Distinct notifications of the metered drains (at most `notifications`): another draw of the same
   * workload, smaller, since a metered drain of the baseline takes minutes; units per notification do not
   * depend on the count.
   */
  readonly meteredNotifications: number;
  /** Both sides once on this many other notifications first, their figures dropped (0: none). */
  readonly warmupNotifications: number;
  /** What both sides fold: the registry by default (a test passes its own, with a harness to match). */
  readonly projections?: readonly Projection[];
}

type Side = "ours" | "baseline";

/**
 * Items of `table` that record a finished event: every ledger row; in the Powertools idempotency table,
 * the records it marked `COMPLETED`.
 */
const recordedEvents = async (client: DynamoDBClient, table: string, side: Side): Promise<number> => {
  const ddb = DynamoDBDocumentClient.from(client);
  let count = 0;
  let ExclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const out = await ddb.send(
      new ScanCommand({
        TableName: table,
        Select: "COUNT",
        ExclusiveStartKey,
        ...(side === "baseline"
          ? {
              FilterExpression: "#s = :completed",
              ExpressionAttributeNames: { "#s": "status" },
              ExpressionAttributeValues: { ":completed": "COMPLETED" },
            }
          : {}),
      }),
    );
    count += out.Count ?? 0;
    ExclusiveStartKey = out.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return count;
};

/** A check that the side recorded each distinct notification exactly once (keys are event ids). */
const onceEach =
  (label: string, side: Side, unique: number): DrainExtras["recorded"] =>
  async (table, client) => {
    const count = await recordedEvents(client, table, side);
    if (count !== unique)
      throw new MismatchError(
        `${label}: ${count} notifications recorded as done, the workload has ${unique} distinct ones`,
      );
  };

const drain = (
  h: Harness,
  side: Side,
  label: string,
  workload: PaymentWorkload,
  metered: boolean,
  folding: readonly Projection[],
  truth = foldAll(folding, workload.messages),
) => {
  const extras: DrainExtras = { projections: folding, recorded: onceEach(label, side, workload.unique) };
  return side === "ours"
    ? drainOurs(h, label, workload, truth, metered, extras)
    : drainBaseline(h, label, workload, truth, metered, extras);
};

/**
 * `notifications` through both sides: a warm-up, `repeats` timed drains each (unmetered, alternating
 * order, fresh tables and queue), then one metered drain each of `meteredNotifications`. Every drain is compared with the fold of
 * the distinct events over the projections (counter by counter, in every partition the fold touches) and
 * must have recorded each distinct notification once; a difference throws a MismatchError.
 */
export const payments = async (h: Harness, o: PaymentsOptions) => {
  const folding = o.projections ?? registry;
  if (o.warmupNotifications > 0) {
    h.say(`payments warm-up: both sides once on ${o.warmupNotifications} notifications`);
    const warm = bankTransfers({ notifications: o.warmupNotifications }, prng(o.seed + 21));
    await drain(h, "ours", "payments warm-up ours", warm, false, folding);
    await drain(h, "baseline", "payments warm-up baseline", warm, false, folding);
  }
  const workload = bankTransfers({ notifications: o.notifications }, prng(o.seed + 22));
  const truth = foldAll(folding, workload.messages);
  h.say(
    `payments: ${workload.unique} notifications, ${workload.messages.length - workload.unique} delivered ` +
      `twice, ${truth.folded.size} partitions moved`,
  );
  const rates: Record<Side, number[]> = { ours: [], baseline: [] };
  const sides: Side[] = ["ours", "baseline"];
  for (let r = 0; r < o.repeats; r++) {
    for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
      const { eventsPerSecond } = await drain(h, side, `payments ${side}`, workload, false, folding, truth);
      rates[side].push(eventsPerSecond);
      h.say(`payments repeat ${r + 1}/${o.repeats}: ${side} ${Math.round(eventsPerSecond)} events/s`);
    }
  }
  const metered =
    o.meteredNotifications >= o.notifications
      ? workload
      : bankTransfers({ notifications: o.meteredNotifications }, prng(o.seed + 23));
  const meteredTruth = metered === workload ? truth : foldAll(folding, metered.messages);
  const oursUnits = (await drain(h, "ours", "payments ours (metered)", metered, true, folding, meteredTruth))
    .units;
  const baselineUnits = (
    await drain(h, "baseline", "payments baseline (metered)", metered, true, folding, meteredTruth)
  ).units;
  const perNotification = (reading: typeof oursUnits) => {
    const { writeUnitsPerEvent, readUnitsPerEvent } = perEvent(reading, metered.unique);
    return { writeUnitsPerNotification: writeUnitsPerEvent, readUnitsPerNotification: readUnitsPerEvent };
  };
  const ours = spreadOf(rates.ours, 0);
  const baseline = spreadOf(rates.baseline, 0);
  const figures = {
    notifications: workload.unique,
    messages: workload.messages.length,
    byType: workload.byType,
    byMatch: workload.byMatch,
    partitions: truth.folded.size,
    repeats: o.repeats,
    metered: { notifications: metered.unique, messages: metered.messages.length },
    eventsPerSecond: ours.median,
    ...perNotification(oursUnits),
    baseline: { eventsPerSecond: baseline.median, ...perNotification(baselineUnits) },
    ratio: round(ours.median / baseline.median, 2),
    spread: {
      ours,
      baseline,
      ratio: spreadOf(
        rates.ours.map((x, i) => x / (rates.baseline[i] ?? Number.NaN)),
        2,
      ),
    },
    meterEstimatedCalls: (oursUnits?.estimated ?? 0) + (baselineUnits?.estimated ?? 0),
  };
  h.say(
    `payments: ours ${ours.median}/s vs baseline ${baseline.median}/s (${figures.ratio}x); write units per ` +
      `notification ours ${figures.writeUnitsPerNotification}, baseline ${figures.baseline.writeUnitsPerNotification}`,
  );
  return figures;
};
