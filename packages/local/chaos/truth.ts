import { ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import { foldDeltas, mergeDeltas } from "#domain/projection.ts";
import type { Projection } from "#domain/projections/contract.ts";
import { familyProjections } from "#domain/projections/families.ts";
import { createFolder, fold as foldContributions } from "#domain/projections/fold.ts";
import type { DomainEvent } from "#events/index.ts";
import { readCampaignView } from "#storage/campaign-view.ts";
import type { Clients } from "#storage/clients.ts";
import type { Store } from "#storage/store.ts";
import type { MoneyEvent } from "../payment-workload.ts";
import { type Comparison, compareViews, partitionMismatches } from "./compare.ts";
import type { ChaosReport } from "./report.ts";

/**
 * The projections against the truth, a fold of what the driver sent and saw accepted: the campaigns'
 * pledges, the staff families' partitions, and the money.
 */

/** Partitions found in the projection table: campaigns (by id), staff families' and funds'. */
export interface ProjectedPartitions {
  readonly campaigns: Set<string>;
  readonly families: Set<string>;
  readonly funds: Set<string>;
}

/** Every partition in the projection table, so that one the truth does not know of is compared too. */
export const projectedPartitions = async (
  ddb: Clients["ddb"],
  projectionTable: string,
): Promise<ProjectedPartitions> => {
  const found: ProjectedPartitions = { campaigns: new Set(), families: new Set(), funds: new Set() };
  let startKey: Record<string, unknown> | undefined;
  do {
    const out: ScanCommandOutput = await ddb.send(
      new ScanCommand({
        TableName: projectionTable,
        ProjectionExpression: "pk",
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const pk = String(item.pk);
      if (pk.startsWith("cp#")) found.campaigns.add(pk.slice(3));
      else if (/^(sup|spo|asm)#/.test(pk)) found.families.add(pk);
      if (pk.startsWith("fund#")) found.funds.add(pk);
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return found;
};

/** Each campaign's dashboard (total, days, units) against the fold of the accepted pledges. */
export const checkCampaigns = async (
  store: Store,
  pledges: readonly DomainEvent[],
  campaignIds: Iterable<string>,
): Promise<Comparison> => {
  const truthDeltas = foldDeltas(pledges);
  const comparison: Comparison = { lost: 0, doubleCounted: 0, mismatches: [] };
  for (const campaignId of new Set([...campaignIds, ...truthDeltas.keys()])) {
    const truthDelta = truthDeltas.get(campaignId);
    const truth = mergeDeltas(campaignId, truthDelta ? [truthDelta] : []);
    const actual = await readCampaignView(store, campaignId);
    const c = compareViews(truth, actual);
    comparison.lost += c.lost;
    comparison.doubleCounted += c.doubleCounted;
    comparison.mismatches.push(...c.mismatches);
  }
  return comparison;
};

/** Every other partition against the registry's fold of the staff events (pledges move none of them). */
export const checkFamilies = async (
  store: Store,
  family: readonly DomainEvent[],
  partitions: Iterable<string>,
): Promise<{ mismatched: number; examples: string[] }> => {
  const familyTruth = foldContributions(familyProjections, family);
  return partitionMismatches((partition) => store.readPartition(partition), familyTruth, [
    ...partitions,
    ...familyTruth.keys(),
  ]);
};

/**
 * Every partition a money event moves (a fund's, a campaign's), and every fund partition there is,
 * against the fold over `folding` of every event the drill sent: a campaign's partition holds its pledges
 * beside the money received. Until a projection of money events is registered, there are none. And each
 * transfer is in the ledger, once (its key), with the content of its notification.
 */
export const checkMoney = async (
  store: Store,
  sent: {
    readonly pledges: readonly DomainEvent[];
    readonly family: readonly DomainEvent[];
    readonly money: readonly MoneyEvent[];
  },
  folding: readonly Projection[],
  fundPartitions: Iterable<string>,
): Promise<Omit<ChaosReport["money"], "events" | "sent">> => {
  const everything = createFolder(folding);
  for (const event of [...sent.pledges, ...sent.family, ...sent.money]) everything.add(event);
  const partitions = new Set([...foldContributions(folding, sent.money).keys(), ...fundPartitions]);
  const check = await partitionMismatches(
    (partition) => store.readPartition(partition),
    everything.folded,
    partitions,
    everything.firstsCounters,
  );
  const rows = await store.readLedger(sent.money.map((e) => e.eventId));
  let notInLedger = 0;
  for (const event of sent.money) {
    const row = rows.get(event.eventId);
    if (row?.contentHash === event.source.contentHash) continue;
    notInLedger++;
    if (check.examples.length < 20)
      check.examples.push(`${event.eventId}: ${row ? "another content" : "not"} in the ledger`);
  }
  return { partitions: partitions.size, mismatched: check.mismatched, notInLedger, examples: check.examples };
};
