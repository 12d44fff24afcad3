import type { DomainEvent } from "#events/index.ts";
import type { Log } from "#storage/log.ts";
import type { InboundMessage } from "#storage/projector.ts";

export const quiet: Log = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A clock the test moves, so abandoned claims age past the grace period without waiting. */
export const testClock = () => {
  let t = Date.parse("2026-09-05T02:00:00Z");
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

/** Events as the SQS messages that carry them. */
export const messagesOf = (events: DomainEvent[], tag = "m"): InboundMessage[] =>
  events.map((e, i) => ({ messageId: `${tag}${i}-${e.eventId.slice(0, 8)}`, body: JSON.stringify(e) }));

/**
 * Redelivers what a projector left on the queue until nothing is left (at most `rounds` times), as SQS
 * would, calling `advance` between rounds so that abandoned claims age past the grace period.
 */
export const drain = async (
  project: (messages: readonly InboundMessage[]) => Promise<{ failed: string[] }>,
  messages: readonly InboundMessage[],
  advance: () => void,
  rounds = 10,
): Promise<InboundMessage[]> => {
  let pending = [...messages];
  for (let round = 0; pending.length > 0 && round < rounds; round++) {
    const outcome = await project(pending);
    pending = pending.filter((m) => outcome.failed.includes(m.messageId));
    advance();
  }
  return pending;
};
