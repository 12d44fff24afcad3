import { campaignOf, foldDeltas } from "#domain/projection.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { type DomainEvent, DomainEvent as DomainEventSchema } from "#events/index.ts";
import type { Log } from "./log.ts";
import {
  appliedMarker,
  type Claim,
  type ClaimRecord,
  eventOfLedgerItem,
  type LedgerRow,
  newClaim,
  type Store,
} from "./store.ts";

/** One SQS message as the projector sees it. */
export interface InboundMessage {
  readonly messageId: string;
  readonly body: string;
}

export interface BatchOutcome {
  /** Messages to leave on the queue for redelivery (Lambda's batchItemFailures). */
  readonly failed: string[];
  /** Events newly counted in a projection by this batch. */
  readonly applied: number;
  /** Messages whose event had already been counted (resubmissions, redeliveries). */
  readonly duplicates: number;
  /** Messages sent to the dead-letter queue with a reason (malformed, or an eventId reused). */
  readonly deadLettered: number;
}

/**
 * Attribute terms per claim: DynamoDB caps an update expression at 4 KB, and each `#n :n` term takes
 * about 11 characters. A campaign's events are split into as many claims as needed to stay under it.
 */
const MAX_TERMS_PER_CLAIM = 240;
/** Claim markers removed from a shard item per update: bounded so the expression stays small. */
const MAX_PRUNE_PER_UPDATE = 40;

interface Pending {
  readonly event: DomainEvent;
  readonly messageIds: string[];
}

/** The event a ledger row holds, if it was read with the row and still parses. */
const ledgerEventOf = (row: LedgerRow): DomainEvent | undefined => {
  if (row.event === undefined) return undefined;
  try {
    const parsed = DomainEventSchema.safeParse(eventOfLedgerItem(row as unknown as Record<string, unknown>));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
};

const describeIssues = (issues: readonly { path: PropertyKey[]; message: string }[]): string =>
  issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`)
    .join("; ");

/**
 * Folds a batch of queued events into the ledger and the campaign projections, each event exactly once.
 * The protocol (claims, markers, fences) and why it is exactly-once is in docs/exactly-once.md.
 *
 * `pruneQueue` outlives a batch (module scope in the Lambda): markers of claims whose record is durable,
 * removed from their shard item on its next update rather than with a write of their own.
 */
/** Observation points for benchmarks and fault drills; the deployed handler passes none. */
export interface ProjectorHooks {
  /** These events just became visible in their campaign's projection. */
  onApplied?(eventIds: readonly string[], at: number): void;
}

export const createProjector = (
  store: Store,
  log: Log,
  now: () => number = Date.now,
  hooks: ProjectorHooks = {},
) => {
  const pruneQueue = new Map<string, string[]>();
  const itemKey = (c: Claim) => `${c.pk}|${c.sk}`;
  const takePrunes = (claim: Claim): string[] => {
    const queued = pruneQueue.get(itemKey(claim)) ?? [];
    return queued.splice(0, MAX_PRUNE_PER_UPDATE);
  };
  const requeuePrunes = (claim: Claim, markers: readonly string[]) => {
    const key = itemKey(claim);
    pruneQueue.set(key, [...markers, ...(pruneQueue.get(key) ?? [])]);
  };

  return async (messages: readonly InboundMessage[]): Promise<BatchOutcome> => {
    const failed = new Set<string>();
    let duplicates = 0;
    let deadLettered = 0;

    const deadLetter = async (message: InboundMessage, reason: string) => {
      try {
        await store.deadLetter(message.body, reason);
        deadLettered++;
        log.warn("event dead-lettered", { messageId: message.messageId, reason });
      } catch (error) {
        log.error("could not dead-letter a message; leaving it on the queue", {
          messageId: message.messageId,
          error,
        });
        failed.add(message.messageId);
      }
    };

    // 1. Parse. A message that is not a valid event will never become one: dead-letter it with the reason.
    const pending = new Map<string, Pending>();
    for (const message of messages) {
      let json: unknown;
      try {
        json = JSON.parse(message.body);
      } catch {
        await deadLetter(message, "malformed: body is not JSON");
        continue;
      }
      const parsed = DomainEventSchema.safeParse(json);
      if (!parsed.success) {
        await deadLetter(message, `malformed: ${describeIssues(parsed.error.issues)}`);
        continue;
      }
      const event = parsed.data;
      const seen = pending.get(event.eventId);
      if (seen === undefined) pending.set(event.eventId, { event, messageIds: [message.messageId] });
      else if (seen.event.source.contentHash === event.source.contentHash) {
        seen.messageIds.push(message.messageId);
        duplicates++;
      } else {
        // Two contents for one eventId in one batch: the ledger, not the batch order, decides which is
        // the original. Send this one round again; next time it meets the ledger row (step 3).
        failed.add(message.messageId);
      }
    }
    const retry = (p: Pending) => {
      for (const id of p.messageIds) failed.add(id);
    };

    // 2. Group the batch into claims: per campaign, split to keep each update expression small.
    const groups = new Map<string, { claim: Claim; members: Pending[] }[]>();
    const termsOf = new Map<Claim, Set<string>>();
    const claimOf = new Map<string, Claim>();
    for (const p of pending.values()) {
      const campaignId = campaignOf(p.event);
      if (campaignId === undefined) continue;
      const list = groups.get(campaignId) ?? [];
      groups.set(campaignId, list);
      const keys = [`d#${vietnamDayOf(p.event.occurredAt)}`, `u#${p.event.unitCode}`];
      let group = list.at(-1);
      const terms = group ? termsOf.get(group.claim) : undefined;
      if (group === undefined || terms === undefined || terms.size + 2 > MAX_TERMS_PER_CLAIM / 3) {
        group = { claim: newClaim(campaignId, store.config), members: [] };
        list.push(group);
        termsOf.set(group.claim, new Set());
      }
      for (const key of keys) termsOf.get(group.claim)?.add(key);
      group.members.push(p);
      claimOf.set(p.event.eventId, group.claim);
    }

    // 3. Record every event in the ledger under its claim. Most are new; for the rest the refused
    //    insert hands back the row already there, so duplicates cost no read beforehand.
    const inserted = await store.insertLedger(
      [...pending.values()].map((p) => {
        const claim = claimOf.get(p.event.eventId);
        return claim ? { event: p.event, claim } : { event: p.event };
      }),
    );
    const claimed = new Set<string>();
    /**
     * Events whose ledger row may name this batch's claim although this batch could not confirm it (the
     * write's outcome stayed unknown): left out of the claim's delta, and named on its marker and record
     * as left out, so that whoever meets the row later moves the event on instead of dropping it.
     */
    const unknown = new Set<string>();
    /** Events moved here from another claim count as the ledger holds them, not as this message says. */
    const ledgerCopy = new Map<string, DomainEvent>();
    const known: { p: Pending; row: LedgerRow }[] = [];
    for (const p of pending.values()) {
      const outcome = inserted.get(p.event.eventId);
      if (outcome?.result === "inserted") claimed.add(p.event.eventId);
      else if (outcome?.result === "exists" && outcome.row) {
        if (outcome.row.contentHash === p.event.source.contentHash) known.push({ p, row: outcome.row });
        else {
          for (const id of p.messageIds) {
            const message = messages.find((m) => m.messageId === id);
            if (message) {
              await deadLetter(
                message,
                `conflict: eventId ${p.event.eventId} was reused with different content`,
              );
            }
          }
        }
      } else {
        unknown.add(p.event.eventId);
        retry(p);
      }
    }

    // 4. Known events: counted already (claim record exists), perhaps still in flight elsewhere (young
    //    claim: look again after this batch), or abandoned by a crashed worker (fence its claim, then
    //    move the event to this batch's claim). A claim that was applied without one of its rows' events
    //    (see `unknown`) names it as excluded: that event moves on too.
    const claimsOf = new Map<string, Claim>();
    for (const { row } of known) {
      if (row.claimId && row.claimPk && row.claimSk) {
        claimsOf.set(row.claimId, { id: row.claimId, pk: row.claimPk, sk: row.claimSk });
      }
    }
    let records = new Map<string, ClaimRecord>();
    if (claimsOf.size > 0) {
      try {
        records = await store.claimRecords([...claimsOf.values()]);
      } catch (error) {
        // Without the records nothing can be said of the known events: they go round again, while the
        // new ones (already in the ledger under this batch's claims) are applied now.
        log.warn("could not read claim records; known events will be retried", { error });
        for (const { p } of known.splice(0)) retry(p);
      }
    }
    const young: { p: Pending; claim: Claim }[] = [];
    const fenceResults = new Map<string, Promise<ReadonlySet<string> | "fenced">>();
    const moveHere = async (p: Pending, row: LedgerRow, old: Claim) => {
      const eventId = p.event.eventId;
      const to = claimOf.get(eventId);
      if (to === undefined) return retry(p);
      try {
        if (await store.reclaim(eventId, old.id, to)) {
          claimed.add(eventId);
          const copy = ledgerEventOf(row);
          if (copy !== undefined) ledgerCopy.set(eventId, copy);
        } else retry(p); // another worker moved it first; the retry will find its new claim
      } catch (error) {
        log.warn("could not move an event to a new claim; will retry", { claimId: old.id, error });
        unknown.add(eventId);
        retry(p);
      }
    };
    await Promise.all(
      known.map(async ({ p, row }) => {
        const old = row.claimId === undefined ? undefined : claimsOf.get(row.claimId);
        if (old === undefined) {
          duplicates += p.messageIds.length;
          return;
        }
        const record = records.get(old.id);
        if (record !== undefined) {
          if (record.excluded.has(p.event.eventId)) await moveHere(p, row, old);
          else duplicates += p.messageIds.length;
          return;
        }
        if (now() - (row.claimedAt ?? 0) < store.config.claimGraceMs) {
          young.push({ p, claim: old });
          return;
        }
        let result = fenceResults.get(old.id);
        if (result === undefined) {
          result = store.fence(old).then(async (fenced) => {
            if (fenced.outcome === "fenced") return "fenced" as const;
            // Applied, perhaps without its record (a crash in between): write it before pruning can drop
            // the marker. Idempotent: the same facts as the marker or the existing record.
            if (!fenced.recorded) await store.putClaimRecord(old, 0, fenced.excluded);
            return fenced.excluded;
          });
          fenceResults.set(old.id, result);
        }
        let outcome: ReadonlySet<string> | "fenced";
        try {
          outcome = await result;
        } catch (error) {
          log.warn("could not settle an old claim; will retry", { claimId: old.id, error });
          retry(p);
          return;
        }
        if (outcome !== "fenced" && !outcome.has(p.event.eventId)) {
          duplicates += p.messageIds.length;
          return;
        }
        await moveHere(p, row, old);
      }),
    );

    // 5. Apply each claim's delta to its shard item, once; then make the claim durable as a record.
    let applied = 0;
    await Promise.all(
      [...groups.values()].flat().map(async ({ claim, members }) => {
        const counted = members.filter((p) => claimed.has(p.event.eventId));
        if (counted.length === 0) return;
        const excluded = members.filter((p) => unknown.has(p.event.eventId)).map((p) => p.event.eventId);
        const delta = foldDeltas(counted.map((p) => ledgerCopy.get(p.event.eventId) ?? p.event))
          .values()
          .next().value;
        if (delta === undefined) return;
        const prunes = takePrunes(claim);
        let outcome: "applied" | "fenced";
        try {
          outcome = await store.apply(claim, delta, prunes, excluded);
        } catch (error) {
          // Perhaps applied, perhaps not: the retry finds out (a fence settles it either way).
          requeuePrunes(claim, prunes);
          log.warn("could not apply a claim; its events will be retried", { claimId: claim.id, error });
          for (const p of counted) retry(p);
          return;
        }
        if (outcome === "fenced") {
          requeuePrunes(claim, prunes);
          log.warn("claim was fenced by another worker; its events will be retried", { claimId: claim.id });
          for (const p of counted) retry(p);
          return;
        }
        applied += counted.length;
        hooks.onApplied?.(
          counted.map((p) => p.event.eventId),
          now(),
        );
        try {
          await store.putClaimRecord(claim, counted.length, excluded);
          requeuePrunes(claim, [appliedMarker(claim.id)]);
        } catch (error) {
          // The marker stays on the item, so a later fence still sees the claim as applied.
          log.warn("claim applied but its record was not written", { claimId: claim.id, error });
        }
      }),
    );

    // 6. Claims that were young a moment ago have usually been applied by their worker since: look once
    //    more rather than sending the message round the queue again.
    if (young.length > 0) {
      let nowRecorded = new Map<string, ClaimRecord>();
      try {
        nowRecorded = await store.claimRecords(young.map((y) => y.claim));
      } catch (error) {
        log.warn("could not look at young claims again; will retry", { error });
      }
      for (const { p, claim } of young) {
        const record = nowRecorded.get(claim.id);
        if (record !== undefined && !record.excluded.has(p.event.eventId)) duplicates += p.messageIds.length;
        else retry(p);
      }
    }

    return { failed: [...failed], applied, duplicates, deadLettered };
  };
};
