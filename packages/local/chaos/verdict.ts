import type { Projection } from "#domain/projections/contract.ts";
import { readDeadLetters } from "../redrive.ts";
import type { Tally } from "./client.ts";
import type { Comparison } from "./compare.ts";
import { deadLetterFindings } from "./dead-letters.ts";
import { checkLedger, countLedgerRows } from "./ledger.ts";
import type { ChaosReport } from "./report.ts";
import type { ChaosStack } from "./stack.ts";
import { checkCampaigns, checkFamilies, checkMoney, projectedPartitions } from "./truth.ts";
import { CAMPAIGNS, type ChaosWorkload, eventOf } from "./workload.ts";

/** What the checks found, once the projector has stopped. */
export interface Findings {
  /** The campaigns' dashboards against the accepted pledges. */
  readonly campaigns: Comparison;
  readonly families: { readonly mismatched: number; readonly examples: string[] };
  readonly money: Omit<ChaosReport["money"], "events" | "sent">;
  readonly inLedger: number;
  readonly ledger: ChaosReport["ledger"];
  readonly deadLettered: number;
  readonly deadLetters: ReturnType<typeof deadLetterFindings>;
}

/**
 * Reads the projections, the ledger and the dead-letter queue with the fault-free clients and checks
 * them against the truth: the accepted pledges, every staff event and every transfer, each once, folded
 * over `folding`.
 */
export const judge = async (
  stack: ChaosStack,
  workload: ChaosWorkload,
  tally: Tally,
  folding: readonly Projection[],
): Promise<Findings> => {
  const { store, clients, config } = stack;
  const { family } = workload;
  const pledges = [...tally.accepted.values()].map(eventOf);
  const moneyEvents = workload.money.transfers.map((t) => t.event);

  const found = await projectedPartitions(clients.ddb, config.projectionTable);
  const campaigns = await checkCampaigns(store, pledges, [...CAMPAIGNS, ...found.campaigns]);
  const families = await checkFamilies(store, family, found.families);
  const money = await checkMoney(store, { pledges, family, money: moneyEvents }, folding, found.funds);
  const inLedger = await countLedgerRows(clients.ddb, config.ledgerTable);
  const ledger = await checkLedger(store, clients.ddb, config.projectionTable, [
    ...tally.accepted.keys(),
    ...family.map((e) => e.eventId),
    ...moneyEvents.map((e) => e.eventId),
  ]);
  const deadLetters = await readDeadLetters({
    sqs: clients.sqs,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
  });
  return {
    campaigns,
    families,
    money,
    inLedger,
    ledger,
    deadLettered: deadLetters.length,
    deadLetters: deadLetterFindings(deadLetters, tally.accepted, tally.poisonBodies),
  };
};
