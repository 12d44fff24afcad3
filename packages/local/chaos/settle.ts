import { sleep } from "./client.ts";
import type { ChaosOptions } from "./options.ts";
import type { ProgressReporter } from "./progress.ts";
import type { ChaosStack } from "./stack.ts";

/**
 * After the posting: the queue drains with the faults still on (or `drainTimeoutMs` passes), then the
 * faults stop and, if it had not drained, the projector gets another minute to finish as on a good day.
 */

/** Waits until the queue has been empty for a second; false when `timeoutMs` passed first. */
const drain = async (stack: ChaosStack, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  let emptySince: number | undefined;
  while (Date.now() < deadline) {
    const left = await stack.backlog();
    if (left > 0) emptySince = undefined;
    else {
      emptySince ??= Date.now();
      if (Date.now() - emptySince >= 1_000) return true;
    }
    await sleep(250);
  }
  return false;
};

/** Drains with faults on, then without; stops the projector. Answers whether the queue drained. */
export const settle = async (
  stack: ChaosStack,
  options: ChaosOptions,
  progress: ProgressReporter,
): Promise<boolean> => {
  progress.enter("draining");
  let drained = await drain(stack, options.drainTimeoutMs ?? Math.max(60_000, options.events * 30));
  stack.stopFaults();
  if (!drained) {
    progress.enter("settling");
    drained = await drain(stack, 60_000);
  }
  progress.enter("checking");
  await stack.stopPoller();
  return drained;
};
