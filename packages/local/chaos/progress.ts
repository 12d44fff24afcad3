import type { Tally } from "./client.ts";
import type { ChaosOptions } from "./options.ts";
import { type ChaosProgress, faultCounts } from "./report.ts";
import type { ChaosStack } from "./stack.ts";
import type { ChaosWorkload } from "./workload.ts";

/** The drill's progress, every `progressEveryMs`, to `onProgress`: best effort, never in the drill's way. */
export interface ProgressReporter {
  /** The phase the next reports name. */
  enter(phase: ChaosProgress["phase"]): void;
  stop(): void;
}

/** Starts reporting progress, in phase `posting`, counting time from `started`. */
export const reportProgress = (
  options: ChaosOptions,
  started: number,
  stack: ChaosStack,
  workload: ChaosWorkload,
  tally: Tally,
): ProgressReporter => {
  let phase: ChaosProgress["phase"] = "posting";
  let reporting = false;
  const progress = setInterval(async () => {
    if (reporting || !options.onProgress) return;
    reporting = true;
    try {
      options.onProgress({
        phase,
        elapsedMs: Date.now() - started,
        posted: tally.posted,
        accepted: tally.accepted.size,
        backlog: await stack.backlog(),
        faults: faultCounts(stack, workload, tally),
      });
    } catch {
      // progress is best effort
    } finally {
      reporting = false;
    }
  }, options.progressEveryMs ?? 1_500);
  return {
    enter: (next) => {
      phase = next;
    },
    stop: () => clearInterval(progress),
  };
};
