import { campaignOf, foldDeltas } from "#domain/projection.ts";
import { vietnamDayOf } from "#domain/time.ts";
import { type DomainEvent, DomainEvent as DomainEventSchema } from "#events/index.ts";
import type { Log } from "./log.ts";
import { appliedMarker, type Claim, type LedgerRow, newClaim, type Store } from "./store.ts";

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
      } else
        await deadLetter(message, `conflict: eventId ${event.eventId} was reused with different content`);
    }
    const retry = (p: Pending) => {
      for (const id of p.messageIds) failed.add(id);
    };

    // 2. What does the ledger already hold?
    const rows = await store.readLedger([...pending.keys()]);
    const fresh: Pending[] = [];
    const known: { p: Pending; row: LedgerRow }[] = [];
    for (const p of pending.values()) {
      const row = rows.get(p.event.eventId);
      if (row === undefined) fresh.push(p);
      else if (row.contentHash !== p.event.source.contentHash) {
        pending.delete(p.event.eventId);
        for (const id of p.messageIds) {
          const message = messages.find((m) => m.messageId === id);
          if (message)
            await deadLetter(
              message,
              `conflict: eventId ${p.event.eventId} was reused with different content`,
            );
        }
      } else known.push({ p, row });
    }

    // 3. Known events: counted already (claim record exists), still in flight (young claim: retry later),
    //    or abandoned by a crashed worker (fence its claim, then claim the event afresh).
    const toReclaim: { p: Pending; from: string }[] = [];
    const claimsOf = new Map<string, { claim: Claim; row: LedgerRow }>();
    for (const { row } of known) {
      if (row.claimId && row.claimPk && row.claimSk) {
        claimsOf.set(row.claimId, { claim: { id: row.claimId, pk: row.claimPk, sk: row.claimSk }, row });
      }
    }
    const recorded = await store.claimRecordsExist([...claimsOf.values()].map((c) => c.claim));
    const fenceResults = new Map<string, Promise<"fenced" | "applied">>();
    for (const { p, row } of known) {
      if (row.claimId === undefined || recorded.has(row.claimId)) {
        duplicates += p.messageIds.length;
        continue;
      }
      if (now() - (row.claimedAt ?? 0) < store.config.claimGraceMs) {
        retry(p);
        continue;
      }
      const entry = claimsOf.get(row.claimId);
      if (entry === undefined) {
        retry(p);
        continue;
      }
      let result = fenceResults.get(row.claimId);
      if (result === undefined) {
        result = store.fence(entry.claim).then(async (outcome) => {
          // Applied but its record was never written (a crash in between): write it now.
          if (outcome === "applied") await store.putClaimRecord(entry.claim, 0);
          return outcome;
        });
        fenceResults.set(row.claimId, result);
      }
      try {
        if ((await result) === "applied") duplicates += p.messageIds.length;
        else toReclaim.push({ p, from: row.claimId });
      } catch (error) {
        log.warn("could not settle an old claim; will retry", { claimId: row.claimId, error });
        retry(p);
      }
    }

    // 4. Group what must be counted into claims: per campaign, split to keep each update small.
    const groups = new Map<string, { claim: Claim; members: { p: Pending; from?: string }[] }[]>();
    const termsOf = new Map<Claim, Set<string>>();
    const assign = (p: Pending, from?: string): Claim | undefined => {
      const campaignId = campaignOf(p.event);
      if (campaignId === undefined) return undefined;
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
      group.members.push(from === undefined ? { p } : { p, from });
      return group.claim;
    };
    const freshEntries = fresh.map((p) => ({ p, claim: assign(p) }));
    for (const r of toReclaim) assign(r.p, r.from);

    // 5. Record fresh events in the ledger under their claim; move abandoned ones to their new claim.
    const inserted = await store.insertLedger(
      freshEntries.map(({ p, claim }) => (claim ? { event: p.event, claim } : { event: p.event })),
    );
    const claimed = new Set<string>();
    for (const { p, claim } of freshEntries) {
      const result = inserted.get(p.event.eventId);
      if (result === "inserted") {
        if (claim) claimed.add(p.event.eventId);
      } else retry(p); // "duplicate": another worker inserted it meanwhile; the retry will see its claim.
    }
    await Promise.all(
      [...groups.values()].flat().flatMap(({ claim, members }) =>
        members
          .filter((m) => m.from !== undefined)
          .map(async ({ p, from }) => {
            try {
              if (from !== undefined && (await store.reclaim(p.event.eventId, from, claim)))
                claimed.add(p.event.eventId);
              else retry(p);
            } catch (error) {
              log.warn("could not reclaim an event; will retry", { eventId: p.event.eventId, error });
              retry(p);
            }
          }),
      ),
    );

    // 6. Apply each claim's delta to its shard item, once; then make the claim durable as a record.
    let applied = 0;
    await Promise.all(
      [...groups.values()].flat().map(async ({ claim, members }) => {
        const counted = members.filter((m) => claimed.has(m.p.event.eventId));
        if (counted.length === 0) return;
        const delta = foldDeltas(counted.map((m) => m.p.event))
          .values()
          .next().value;
        if (delta === undefined) return;
        const prunes = takePrunes(claim);
        let outcome: "applied" | "fenced";
        try {
          outcome = await store.apply(claim, delta, prunes);
        } catch (error) {
          requeuePrunes(claim, prunes);
          log.warn("could not apply a claim; its events will be retried", { claimId: claim.id, error });
          for (const m of counted) retry(m.p);
          return;
        }
        if (outcome === "fenced") {
          requeuePrunes(claim, prunes);
          log.warn("claim was fenced by another worker; its events will be retried", { claimId: claim.id });
          for (const m of counted) retry(m.p);
          return;
        }
        applied += counted.length;
        hooks.onApplied?.(
          counted.map((m) => m.p.event.eventId),
          now(),
        );
        try {
          await store.putClaimRecord(claim, counted.length);
          requeuePrunes(claim, [appliedMarker(claim.id)]);
        } catch (error) {
          // The marker stays on the item, so a later fence still sees the claim as applied.
          log.warn("claim applied but its record was not written", { claimId: claim.id, error });
        }
      }),
    );

    return { failed: [...failed], applied, duplicates, deadLettered };
  };
};
