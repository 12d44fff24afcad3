import type { CrashStats, LostAnswerStats, SlowStats, ThrottleStats } from "../faults.ts";
import type { Tally } from "./client.ts";
import type { ChaosStack } from "./stack.ts";
import type { Findings } from "./verdict.ts";
import { type ChaosWorkload, resubmittedOf } from "./workload.ts";

/** What the drill tells: its progress as it runs, its report and its verdict. */

/** Where the drill stands, every `progressEveryMs`. */
export interface ChaosProgress {
  readonly phase: "posting" | "draining" | "settling" | "checking";
  readonly elapsedMs: number;
  /** HTTP answers received (every attempt). */
  readonly posted: number;
  /** Distinct donations answered 202. */
  readonly accepted: number;
  /** Messages on the queue, visible or in flight. */
  readonly backlog: number;
  readonly faults: FaultCounts;
}

/** Faults injected so far. */
export interface FaultCounts {
  /** DynamoDB attempts refused (ingest and projector), and PartiQL statements refused one by one. */
  readonly throttled: number;
  /** Projector DynamoDB attempts that executed with their answer lost. */
  readonly lostAnswers: number;
  readonly crashes: number;
  readonly slowed: number;
  /** Messages handed to a projector while another invocation was still processing them. */
  readonly redeliveredWhileProcessing: number;
  /** Records received more than once, whatever the cause. */
  readonly redelivered: number;
  readonly resubmitted: number;
  readonly poisonSent: number;
}

/** Everything the drill saw: faults by kind, answers, dead letters, and what differs from the truth. */
export interface ChaosReport {
  readonly faults: FaultCounts;
  readonly throttling: { readonly ingest: ThrottleStats; readonly projector: ThrottleStats };
  readonly crashes: CrashStats;
  readonly lostAnswers: LostAnswerStats;
  readonly slow: SlowStats;
  /** Answers to the driver's posts, by status (every attempt). */
  readonly answers: Record<string, number>;
  /** Donations never answered 202 (500 after retries): not accepted, not in the truth. */
  readonly notAccepted: number;
  /** Posts of an accepted eventId with other content, refused with 409 as they should be. */
  readonly conflictsRefused: number;
  /** Answers the API should never give (a 409 to an identical resubmission, a 202 to a visible reuse…). */
  readonly unexpected: readonly string[];
  /** Dead-lettered messages by reason kind; `exhausted retries` are accepted events never counted. */
  readonly deadLetterReasons: Record<string, number>;
  /** Poison messages sent, and how many of them are on the dead-letter queue with the right reason. */
  readonly poison: { readonly sent: number; readonly deadLettered: number };
  /** Accepted events (their own content) found on the dead-letter queue, with the reason. */
  readonly acceptedDeadLettered: readonly string[];
  /** Cells (campaign, day or unit) where the projection differs from the truth; the first 20. */
  readonly mismatches: readonly string[];
  /**
   * Staff events sent, and the counters of support, sponsorship and assessment partitions that differ from
   * the registry's fold of them (the first 20 listed).
   */
  readonly families: { readonly events: number; readonly mismatched: number; readonly examples: string[] };
  /**
   * Distinct money events sent (bank transfers in and out), notifications sent (duplicates included), and
   * what differs: counters of the partitions they move against the registry's fold of every event sent,
   * and money events missing from the ledger (each listed in `examples`, the first 20).
   */
  readonly money: {
    readonly events: number;
    readonly sent: number;
    /** Partitions compared: those money moves in the fold, and every `fund#` partition in the table. */
    readonly partitions: number;
    readonly mismatched: number;
    readonly notInLedger: number;
    readonly examples: string[];
  };
  /** Accepted events missing from the ledger, and ledger rows whose claim was never applied. */
  readonly ledger: { readonly missing: number; readonly unapplied: number; readonly examples: string[] };
  /** Warnings and errors the ingest API and the projector logged, by message. */
  readonly logCounts: Record<string, number>;
  readonly drained: boolean;
  readonly durationMs: number;
}

/** The drill's verdict, and the report behind it. */
export interface ChaosResult {
  /** Distinct events answered 202: the ground truth. */
  readonly accepted: number;
  readonly inLedger: number;
  readonly deadLettered: number;
  /** Events the projections are short of the truth (the worst of the campaign, day and unit cells). */
  readonly lost: number;
  /** Events the projections count beyond the truth, measured alike. */
  readonly doubleCounted: number;
  readonly projectionsMatchTruth: boolean;
  readonly report: ChaosReport;
}

/** The drill's verdict as one JSON line, in a fixed order. */
export const summaryLine = (r: ChaosResult): string =>
  JSON.stringify({
    accepted: r.accepted,
    inLedger: r.inLedger,
    deadLettered: r.deadLettered,
    lost: r.lost,
    doubleCounted: r.doubleCounted,
    projectionsMatchTruth: r.projectionsMatchTruth,
    lostAnswers: r.report.faults.lostAnswers,
    familyEvents: r.report.families.events,
    familyMismatches: r.report.families.mismatched,
    moneyEvents: r.report.money.events,
    moneyMismatches: r.report.money.mismatched + r.report.money.notInLedger,
  });

/** A run that lost, double-counted or mismatched anything failed. */
export const passed = (r: ChaosResult): boolean =>
  r.lost === 0 &&
  r.doubleCounted === 0 &&
  r.projectionsMatchTruth &&
  r.report.families.mismatched === 0 &&
  r.report.money.mismatched + r.report.money.notInLedger === 0;

/** Faults injected so far: by the stack, and by the driver (resubmissions, poison). */
export const faultCounts = (stack: ChaosStack, workload: ChaosWorkload, tally: Tally): FaultCounts => {
  const { ingestThrottle, projectorThrottle, lostAnswers, crashes, slow } = stack.injected;
  return {
    throttled:
      ingestThrottle.injected +
      ingestThrottle.statements +
      projectorThrottle.injected +
      projectorThrottle.statements,
    lostAnswers: lostAnswers.lost,
    crashes: crashes.crashes,
    slowed: slow.delayed,
    redeliveredWhileProcessing: stack.redeliveries.whileProcessing,
    redelivered: stack.redeliveries.any,
    resubmitted: resubmittedOf(workload.submissions),
    poisonSent: tally.poisonSent,
  };
};

/** The verdict and its report, from what the stack injected, the driver saw and the checks found. */
export const chaosResult = (run: {
  readonly started: number;
  readonly stack: ChaosStack;
  readonly workload: ChaosWorkload;
  readonly tally: Tally;
  readonly drained: boolean;
  readonly findings: Findings;
}): ChaosResult => {
  const { stack, workload, tally, findings } = run;
  const { campaigns, families, money } = findings;
  const report: ChaosReport = {
    faults: faultCounts(stack, workload, tally),
    throttling: { ingest: stack.injected.ingestThrottle, projector: stack.injected.projectorThrottle },
    crashes: stack.injected.crashes,
    lostAnswers: stack.injected.lostAnswers,
    slow: stack.injected.slow,
    answers: tally.answers,
    notAccepted: workload.forms.filter((f) => !tally.accepted.has(f.eventId ?? "")).length,
    conflictsRefused: tally.conflictsRefused,
    unexpected: tally.unexpected,
    deadLetterReasons: findings.deadLetters.reasons,
    poison: { sent: tally.poisonSent, deadLettered: findings.deadLetters.poisonDeadLettered },
    acceptedDeadLettered: findings.deadLetters.acceptedDeadLettered,
    mismatches: campaigns.mismatches.slice(0, 20),
    families: { events: workload.family.length, ...families },
    money: { events: workload.money.transfers.length, sent: tally.moneySent, ...money },
    ledger: findings.ledger,
    logCounts: stack.logCounts,
    drained: run.drained,
    durationMs: Date.now() - run.started,
  };
  return {
    accepted: tally.accepted.size,
    inLedger: findings.inLedger,
    deadLettered: findings.deadLettered,
    lost: campaigns.lost,
    doubleCounted: campaigns.doubleCounted,
    projectionsMatchTruth:
      campaigns.mismatches.length === 0 && families.mismatched === 0 && money.mismatched === 0,
    report,
  };
};
