import type { Projection } from "#domain/projections/contract.ts";
import type { ChaosProgress } from "./report.ts";

export interface FaultSettings {
  /** Share of donations posted again later with the same eventId and body (a donor's retry). */
  readonly resubmitShare: number;
  /** Share of donations posted twice at the same moment (a double click). */
  readonly concurrentShare: number;
  /** Chance that a DynamoDB attempt is throttled outside a storm. */
  readonly throttleProbability: number;
  /** Throttling storms (a hot partition): `stormMs` of `stormProbability` every `stormEveryMs`. */
  readonly stormProbability: number;
  readonly stormMs: number;
  readonly stormEveryMs: number;
  /** Chance that one PartiQL statement of a ledger insert batch is refused on its own. */
  readonly statementThrottleProbability: number;
  /**
   * Chance that a projector's DynamoDB attempt executes and its answer is lost (the SDK sends it again;
   * when every attempt is lost, the projector sees the error with the write done).
   */
  readonly lostAnswerProbability: number;
  /** Chance that a projector invocation dies at a random write, or before it could answer. */
  readonly crashProbability: number;
  /**
   * Chance that a ledger insert stalls for longer than the visibility timeout; a fifth of it for each apply
   * (a batch makes one insert, and one apply per item it touches).
   */
  readonly slowProbability: number;
  readonly slowMs: readonly [number, number];
  /** Poison messages sent straight to the queue, in three kinds (not JSON, not an event, reused eventId). */
  readonly poison: number;
}

/** The faults of docs/chaos.md, at the density `npm run chaos` runs them. */
export const defaultFaults = (events: number): FaultSettings => ({
  resubmitShare: 0.1,
  concurrentShare: 0.03,
  throttleProbability: 0.02,
  stormProbability: 0.9,
  stormMs: 3_000,
  stormEveryMs: 20_000,
  statementThrottleProbability: 0.05,
  lostAnswerProbability: 0.03,
  crashProbability: 0.15,
  slowProbability: 0.02,
  slowMs: [2_300, 3_500],
  poison: Math.max(6, Math.round(events / 100)),
});

export interface ChaosOptions {
  /** Distinct donations to post. */
  readonly events: number;
  /**
   * Distinct staff events (support, corrections, revocations, sponsorships, assessments) put on the queue
   * as the staff routes put them, a tenth of them twice; half the donations by default.
   */
  readonly familyEvents?: number;
  /**
   * Distinct bank-transfer notifications, sent in bursts beside the donations, 30% of them twice (a
   * notifier's retry); a third of the donations by default.
   */
  readonly moneyEvents?: number;
  /**
   * What the projector folds and the money check folds with: the registry by default. A test adds a
   * projection of its own (one the registry does not have yet) to see its counters checked under faults.
   */
  readonly projections?: readonly Projection[];
  readonly seed: number;
  readonly faults?: Partial<FaultSettings>;
  /** Concurrent HTTP clients posting. */
  readonly clients?: number;
  /** Projector invocations at once, and records per invocation. */
  readonly concurrency?: number;
  readonly batchSize?: number;
  /** Shorter than a slow batch takes, so SQS redelivers messages still being processed. */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * High enough that a healthy message that was merely unlucky is not dead-lettered: with a 1 s visibility
   * timeout, stalls and crashes many times denser than in production, 10 receives was seen to run out.
   */
  readonly maxReceiveCount?: number;
  readonly claimGraceMs?: number;
  /** How long to wait for the queue to drain, faults on, before stopping them. */
  readonly drainTimeoutMs?: number;
  readonly progressEveryMs?: number;
  readonly onProgress?: (progress: ChaosProgress) => void;
  /**
   * Emulators already running (a test's); the drill then makes tables and queues of its own there and
   * leaves the emulators running. Without it, the drill starts and stops its own, in memory.
   */
  readonly emulators?: { readonly dynamoEndpoint: string; readonly sqsEndpoint: string };
}
