import { projections } from "#domain/projections/index.ts";
import { newTally } from "./chaos/client.ts";
import { drive } from "./chaos/drive.ts";
import { type ChaosOptions, defaultFaults, type FaultSettings } from "./chaos/options.ts";
import { reportProgress } from "./chaos/progress.ts";
import { prng } from "./chaos/random.ts";
import { type ChaosResult, chaosResult } from "./chaos/report.ts";
import { settle } from "./chaos/settle.ts";
import { startChaosStack } from "./chaos/stack.ts";
import { judge } from "./chaos/verdict.ts";
import { chaosWorkload } from "./chaos/workload.ts";

export { compareViews, partitionMismatches } from "./chaos/compare.ts";
export { type ChaosOptions, defaultFaults, type FaultSettings } from "./chaos/options.ts";
export { prng } from "./chaos/random.ts";
export {
  type ChaosProgress,
  type ChaosReport,
  type ChaosResult,
  type FaultCounts,
  passed,
  summaryLine,
} from "./chaos/report.ts";

/**
 * The chaos drill (`npm run chaos`, docs/chaos.md): the local pipeline under duplicate submissions,
 * redelivery of messages still being processed, projector crashes between any two writes, DynamoDB
 * throttling and poison messages; then the projections are compared with a ground truth folded from
 * what the driver itself sent and saw accepted. Its phases live in packages/local/chaos/.
 */

/**
 * Runs the drill on fresh in-memory emulators and answers the verdict. Faults run until the queue has
 * drained (or `drainTimeoutMs`), then stop; the projector then finishes what is left, and the
 * projections are read and compared with the fold of the events answered 202.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosResult> => {
  const started = Date.now();
  const faults: FaultSettings = { ...defaultFaults(options.events), ...options.faults };
  // Separate streams: the workload is the same for a seed whatever the faults do with timing.
  const workloadRand = prng(options.seed);
  const faultRand = prng(options.seed ^ 0x5eed_f00d);
  const driverRand = prng(options.seed ^ 0x0ddba11);

  const stack = await startChaosStack(options, faults, faultRand);
  try {
    const workload = chaosWorkload(options, faults, workloadRand);
    const tally = newTally();
    const progress = reportProgress(options, started, stack, workload, tally);
    try {
      await drive(stack, workload, tally, {
        clients: options.clients ?? 6,
        poison: faults.poison,
        rand: driverRand,
        seed: options.seed,
      });
      const drained = await settle(stack, options, progress);
      const findings = await judge(stack, workload, tally, options.projections ?? projections);
      return chaosResult({ started, stack, workload, tally, drained, findings });
    } finally {
      progress.stop();
    }
  } finally {
    await stack.stop();
  }
};
