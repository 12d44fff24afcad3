import { GetCommand, ScanCommand, type ScanCommandOutput } from "@aws-sdk/lib-dynamodb";
import { DomainEvent as DomainEventSchema } from "#events/index.ts";
import type { createClients } from "#storage/clients.ts";
import { partsOf } from "#storage/projector.ts";
import {
  appliedMarker,
  type Claim,
  claimKey,
  claimOn,
  eventOfLedgerItem,
  fenceMarker,
  type Store,
  targetKey,
} from "#storage/store.ts";
import type { ChaosReport } from "./report.ts";

/** Where the drill's events stand in the ledger, read with the driver's own fault-free clients. */

type DocumentClient = ReturnType<typeof createClients>["ddb"];

/** Rows in the ledger: every event the projector took in, each once. */
export const countLedgerRows = async (ddb: DocumentClient, ledgerTable: string): Promise<number> => {
  let rows = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out: ScanCommandOutput = await ddb.send(
      new ScanCommand({ TableName: ledgerTable, Select: "COUNT", ExclusiveStartKey: startKey }),
    );
    rows += out.Count ?? 0;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return rows;
};

/**
 * Where each accepted event stands: in the ledger or not, and whether the claim its ledger row names
 * was applied (claim record, or `a#` marker on its shard item, and no fence). Finds lost events by id.
 */
export const checkLedger = async (
  store: Store,
  ddb: DocumentClient,
  projectionTable: string,
  eventIds: readonly string[],
): Promise<ChaosReport["ledger"]> => {
  const rows = await store.readLedger(eventIds);
  /** The claims that carry each event's parts: its batch claim, or where a part was moved to. */
  const claimsOf = new Map<string, Claim[]>();
  for (const row of rows.values()) {
    const parsed = DomainEventSchema.safeParse(eventOfLedgerItem(row as unknown as Record<string, unknown>));
    if (!row.claim || !parsed.success) continue;
    const batch = row.claim;
    claimsOf.set(
      row.eventId,
      partsOf({ event: parsed.data, messageIds: [] }, parsed.data)
        .filter((part) => !part.first)
        .map((part) => claimOn(row.moved.get(targetKey(part.target)) ?? batch, part.target)),
    );
  }
  const recorded = await store.claimRecords([...claimsOf.values()].flat());
  const items = new Map<string, Record<string, unknown>>();
  const appliedOnItem = async (claim: Claim) => {
    const key = `${claim.pk}|${claim.sk}`;
    let item = items.get(key);
    if (item === undefined) {
      item =
        (await ddb.send(new GetCommand({ TableName: projectionTable, Key: { pk: claim.pk, sk: claim.sk } })))
          .Item ?? {};
      items.set(key, item);
    }
    return appliedMarker(claim.id) in item && !(fenceMarker(claim.id) in item);
  };
  const examples: string[] = [];
  let missing = 0;
  let unapplied = 0;
  for (const eventId of eventIds) {
    const row = rows.get(eventId);
    if (row === undefined) {
      missing++;
      if (examples.length < 10) examples.push(`${eventId}: not in the ledger`);
      continue;
    }
    for (const claim of claimsOf.get(eventId) ?? []) {
      const record = recorded.get(claimKey(claim));
      if ((record && !record.excluded.has(eventId)) || (!record && (await appliedOnItem(claim)))) continue;
      unapplied++;
      if (examples.length < 10)
        examples.push(`${eventId}: claim ${claim.id} on ${claim.pk} ${claim.sk} never applied`);
      break;
    }
  }
  return { missing, unapplied, examples };
};
