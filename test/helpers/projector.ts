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
