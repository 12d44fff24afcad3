import type { DomainEvent } from "#events/index.ts";
import type { Log } from "#storage/log.ts";
import { type InboundMessage, partsOf } from "#storage/projector.ts";
import { type Claim, type ClaimRef, claimKey, claimOn, type Store } from "#storage/store.ts";

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

/**
 * Applies, as a worker would, the claims a batch claim `ref` makes for these events (every part but
 * distinct members), each with the given markers to prune, and records them. The outcome of each apply.
 */
export const applyByHand = async (
  store: Store,
  ref: ClaimRef,
  events: readonly DomainEvent[],
  prune: readonly string[] = [],
): Promise<("applied" | "fenced")[]> => {
  const claims = new Map<string, { claim: Claim; add: Record<string, number> }>();
  for (const event of events)
    for (const part of partsOf({ event, messageIds: [] }, event)) {
      if (part.first) continue;
      const claim = claimOn(ref, part.target);
      const entry = claims.get(claimKey(claim)) ?? { claim, add: {} };
      claims.set(claimKey(claim), entry);
      for (const [name, value] of Object.entries(part.add)) entry.add[name] = (entry.add[name] ?? 0) + value;
    }
  const outcomes: ("applied" | "fenced")[] = [];
  for (const { claim, add } of claims.values()) {
    const outcome = await store.apply(claim, add, prune);
    outcomes.push(outcome);
    if (outcome === "applied") await store.putClaimRecord(claim, events.length);
  }
  return outcomes;
};
