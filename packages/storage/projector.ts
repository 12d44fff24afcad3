import type { Projection, Target } from "#domain/projections/contract.ts";
import { projections as registered } from "#domain/projections/index.ts";
import { type DomainEvent, DomainEvent as DomainEventSchema } from "#events/index.ts";
import type { Log } from "./log.ts";
import { firstKey } from "./projection-items.ts";
import {
  appliedMarker,
  type Claim,
  type ClaimRecord,
  type ClaimRef,
  claimKey,
  claimOn,
  eventOfLedgerItem,
  type LedgerRow,
  newClaimRef,
  type Store,
  targetKey,
} from "./store.ts";

/** One SQS message as the projector sees it. */
export interface InboundMessage {
  readonly messageId: string;
  readonly body: string;
}

export interface BatchOutcome {
  /** Messages to leave on the queue for redelivery (Lambda's batchItemFailures). */
  readonly failed: string[];
  /** Events newly counted in their projections by this batch. */
  readonly applied: number;
  /** Messages whose event had already been counted (resubmissions, redeliveries). */
  readonly duplicates: number;
  /** Messages sent to the dead-letter queue with a reason (malformed, or an eventId reused). */
  readonly deadLettered: number;
}

/** Observation points for benchmarks and fault drills; the deployed handler passes none. */
export interface ProjectorHooks {
  /** These events just became visible in every projection they move. */
  onApplied?(eventIds: readonly string[], at: number): void;
}

/**
 * Counter terms one claim may add to one item: DynamoDB caps an update expression at 4 KB, and each
 * `#n :n` term takes about 11 characters. A batch whose events would add more to one item is split into
 * several claims. Items are bounded by design (contract.ts), so this is rare.
 */
const MAX_TERMS_PER_ITEM = 300;
/** Claim markers removed from an item per update: bounded so the expression stays small. */
const MAX_PRUNE_PER_UPDATE = 40;

interface Pending {
  readonly event: DomainEvent;
  readonly messageIds: string[];
  /** The batch claim its parts join (a batch is split into several when an item would grow too much). */
  ref?: ClaimRef;
}

/**
 * What one event moves, as the engine applies it: one part per target item (its counters summed over
 * every registered projection), and one part per distinct set it may be first in.
 */
interface Part {
  readonly owner: Pending;
  readonly target: Target;
  readonly add: Readonly<Record<string, number>>;
  /** Present for a distinct-member part: counted only by the claim its member row names. */
  readonly first?: { readonly set: string; readonly member: string };
}

/** How a claim's left-out list and the batch's bookkeeping name a part. */
const partKey = (part: Part): string =>
  part.first ? firstKey(part.first.set, part.first.member) : part.owner.event.eventId;

/** Every part of an event over the registered projections, contributions to one item summed. */
export const partsOf = (
  owner: Pending,
  event: DomainEvent,
  projections: readonly Projection[] = registered,
): Part[] => {
  const byItem = new Map<string, { target: Target; add: Record<string, number> }>();
  const firsts = new Map<string, Part>();
  for (const projection of projections) {
    if (!projection.eventTypes.includes(event.type)) continue;
    for (const { target, add, firsts: named } of projection.contributions(event)) {
      const key = targetKey(target);
      const sum = byItem.get(key) ?? { target, add: {} };
      byItem.set(key, sum);
      for (const [name, value] of Object.entries(add)) sum.add[name] = (sum.add[name] ?? 0) + value;
      for (const { set, member, counter } of named ?? []) {
        const first = firstKey(set, member);
        if (!firsts.has(first))
          firsts.set(first, { owner, target, add: { [counter]: 1 }, first: { set, member } });
      }
    }
  }
  // An item no counter of this event moves needs no claim (assessments move distinct counts only).
  const items = [...byItem.values()].filter(({ add }) => Object.values(add).some((v) => v !== 0));
  return [...items.map(({ target, add }) => ({ owner, target, add })), ...firsts.values()];
};

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

/** A part whose claim is another batch's: counted already, in flight, or abandoned. */
interface KnownPart {
  readonly part: Part;
  readonly old: ClaimRef;
  /** For a distinct member: the member row attribute's value as read, which a move is conditional on. */
  readonly value?: string;
}

/**
 * Folds a batch of queued events into the ledger and every registered projection, each event exactly
 * once. The protocol (claims, markers, fences, member rows) and why it is exactly-once is in
 * docs/exactly-once.md.
 *
 * `pruneQueue` outlives a batch (module scope in the Lambda): markers of claims whose record is durable,
 * removed from their item on its next update rather than with a write of their own.
 */
export const createProjector = (
  store: Store,
  log: Log,
  now: () => number = Date.now,
  hooks: ProjectorHooks = {},
  projections: readonly Projection[] = registered,
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
    let repeats = 0;
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
        repeats++;
      } else {
        // Two contents for one eventId in one batch: the ledger, not the batch order, decides which is
        // the original. Send this one round again; next time it meets the ledger row (step 3).
        failed.add(message.messageId);
      }
    }
    /** Events that must go round again: not all of their parts are settled. */
    const retrying = new Set<Pending>();
    const retry = (p: Pending) => {
      retrying.add(p);
      for (const id of p.messageIds) failed.add(id);
    };

    // 2. Split the batch into batch claims: one claim per item per batch claim, each small enough for
    //    one update expression. Most batches are one batch claim.
    const claimedAt = now();
    const refs: ClaimRef[] = [];
    const termsOf = new Map<string, Set<string>>();
    const messageParts = new Map<Pending, Part[]>();
    for (const p of pending.values()) {
      const parts = partsOf(p, p.event, projections);
      messageParts.set(p, parts);
      if (parts.length === 0) continue;
      const fits = (ref: ClaimRef) =>
        parts.every((part) => {
          const terms = termsOf.get(`${ref.id} ${targetKey(part.target)}`);
          const fresh = Object.keys(part.add).filter((n) => !terms?.has(n)).length;
          return (terms?.size ?? 0) + fresh <= MAX_TERMS_PER_ITEM;
        });
      let ref = refs.at(-1);
      if (ref === undefined || !fits(ref)) {
        ref = newClaimRef(store.config, claimedAt);
        refs.push(ref);
      }
      for (const part of parts) {
        const key = `${ref.id} ${targetKey(part.target)}`;
        const terms = termsOf.get(key) ?? new Set<string>();
        termsOf.set(key, terms);
        for (const name of Object.keys(part.add)) terms.add(name);
      }
      p.ref = ref;
    }

    // 3. Record every event in the ledger under its batch claim. Most are new; for the rest the refused
    //    insert hands back the row already there, so duplicates cost no read beforehand.
    const inserted = await store.insertLedger(
      [...pending.values()].map((p) => (p.ref ? { event: p.event, claim: p.ref } : { event: p.event })),
    );

    /** Parts this batch counts, by the claim that carries them. */
    const counted = new Map<string, { claim: Claim; parts: Part[]; excluded: string[] }>();
    const claimFor = (ref: ClaimRef, target: Target) => {
      const claim = claimOn(ref, target);
      const key = claimKey(claim);
      let entry = counted.get(key);
      if (entry === undefined) {
        entry = { claim, parts: [], excluded: [] };
        counted.set(key, entry);
      }
      return entry;
    };
    const count = (part: Part, ref: ClaimRef) => claimFor(ref, part.target).parts.push(part);
    /**
     * A part whose row or member row may name this batch's claim although this batch could not confirm it
     * (the write's outcome stayed unknown): left out of the claim's counters and named on its marker and
     * record as left out, so that whoever meets the row later moves the part on instead of dropping it.
     */
    const leaveOut = (part: Part, ref: ClaimRef) => {
      claimFor(ref, part.target).excluded.push(partKey(part));
      retry(part.owner);
    };

    const known: KnownPart[] = [];
    /** Events whose ledger row holds this content: the ones whose distinct members are settled below. */
    const valid: Pending[] = [];
    const newlyInserted = new Set<Pending>();
    for (const p of pending.values()) {
      const outcome = inserted.get(p.event.eventId);
      const parts = (messageParts.get(p) ?? []).filter((part) => !part.first);
      if (outcome?.result === "inserted") {
        newlyInserted.add(p);
        valid.push(p);
        if (p.ref) for (const part of parts) count(part, p.ref);
      } else if (outcome?.result === "exists" && outcome.row) {
        const row = outcome.row;
        if (row.contentHash !== p.event.source.contentHash) {
          for (const id of p.messageIds) {
            const message = messages.find((m) => m.messageId === id);
            if (message) {
              await deadLetter(
                message,
                `conflict: eventId ${p.event.eventId} was reused with different content`,
              );
            }
          }
          continue;
        }
        // The ledger's copy is what counts: the parts are computed from it, not from this message.
        const copy = ledgerEventOf(row);
        if (copy !== undefined && copy !== p.event) {
          messageParts.set(p, partsOf(p, copy, projections));
        }
        valid.push(p);
        for (const part of (messageParts.get(p) ?? []).filter((x) => !x.first)) {
          const old = row.moved.get(targetKey(part.target)) ?? row.claim;
          // A row without a claim moved no projection when it was written: nothing to settle.
          if (old !== undefined) known.push({ part, old });
        }
      } else {
        // Neither written nor refused: the row may still land naming this claim.
        if (p.ref) for (const part of parts) leaveOut(part, p.ref);
        else retry(p);
      }
    }

    // 4. Distinct members: one write per member row names, in each set where no claim does yet, this
    //    batch's claim and the event whose part it is. A set named for this same event by an earlier
    //    attempt is settled like a ledger row. A set named for another event is that event's to settle:
    //    its message stays on the queue until the claim that names it is applied or moved on, so this
    //    event has nothing to do there (and never waits for another worker's claim).
    const members = new Map<string, Map<string, Part[]>>();
    for (const p of valid) {
      for (const part of messageParts.get(p) ?? []) {
        if (!part.first || !p.ref) continue;
        const sets = members.get(part.first.member) ?? new Map<string, Part[]>();
        members.set(part.first.member, sets);
        sets.set(part.first.set, [...(sets.get(part.first.set) ?? []), part]);
      }
    }
    await Promise.all(
      [...members].map(async ([member, sets]) => {
        // The first event of the batch to name a set is written as its owner; if the set is named already,
        // whichever of the batch's events it names settles it (another worker may have written it for any).
        const first = (parts: Part[]) => parts[0] as Part;
        const results = await store.claimFirsts(
          member,
          [...sets].map(([set, parts]) => ({
            set,
            ref: first(parts).owner.ref as ClaimRef,
            owner: first(parts).owner.event.eventId,
          })),
        );
        for (const [set, parts] of sets) {
          const ref = first(parts).owner.ref as ClaimRef;
          const result = results.get(set);
          if (result?.result === "mine") count(first(parts), ref);
          else if (result?.result === "exists") {
            const owned = parts.find((part) => part.owner.event.eventId === result.owner);
            if (owned) known.push({ part: owned, old: result.ref, value: result.value });
          } else {
            // Unknown: it may name any of them, or land later naming the first. Each goes round again.
            for (const part of parts) leaveOut(part, part.owner.ref as ClaimRef);
          }
        }
      }),
    );

    // 5. Known parts: counted already (claim record exists), perhaps still in flight elsewhere (young
    //    claim: look again after this batch), or abandoned by a crashed worker (fence its claim, then move
    //    the part to this batch's claim). A claim that was applied without one of its parts (see
    //    `leaveOut`) names it as excluded: that part moves on too.
    const oldClaims = new Map<string, Claim>();
    for (const { part, old } of known) {
      const claim = claimOn(old, part.target);
      oldClaims.set(claimKey(claim), claim);
    }
    let records = new Map<string, ClaimRecord>();
    if (oldClaims.size > 0) {
      try {
        records = await store.claimRecords([...oldClaims.values()]);
      } catch (error) {
        // Without the records nothing can be said of the known parts: they go round again, while the
        // new ones are applied now.
        log.warn("could not read claim records; known events will be retried", { error });
        for (const { part } of known.splice(0)) retry(part.owner);
      }
    }
    const young: KnownPart[] = [];
    const fenceResults = new Map<string, Promise<ReadonlySet<string> | "fenced">>();
    const moveHere = async (k: KnownPart) => {
      const { part, old } = k;
      const to = part.owner.ref;
      if (to === undefined) return retry(part.owner);
      try {
        const moved = part.first
          ? await store.reclaimFirst(
              part.first.member,
              part.first.set,
              k.value ?? "",
              to,
              part.owner.event.eventId,
            )
          : await store.reclaim(part.owner.event.eventId, targetKey(part.target), old, to);
        if (moved) count(part, to);
        else retry(part.owner); // another worker moved it first; the retry will find its new claim
      } catch (error) {
        log.warn("could not move a part to a new claim; will retry", { claimId: old.id, error });
        leaveOut(part, to);
      }
    };
    await Promise.all(
      known.map(async (k) => {
        const claim = claimOn(k.old, k.part.target);
        const record = records.get(claimKey(claim));
        if (record !== undefined) {
          if (record.excluded.has(partKey(k.part))) await moveHere(k);
          return;
        }
        if (now() - k.old.claimedAt < store.config.claimGraceMs) {
          young.push(k);
          return;
        }
        let result = fenceResults.get(claimKey(claim));
        if (result === undefined) {
          result = store.fence(claim).then(async (fenced) => {
            if (fenced.outcome === "fenced") return "fenced" as const;
            // Applied, perhaps without its record (a crash in between): write it before pruning can drop
            // the marker. Idempotent: the same facts as the marker or the existing record.
            if (!fenced.recorded) await store.putClaimRecord(claim, 0, fenced.excluded);
            return fenced.excluded;
          });
          fenceResults.set(claimKey(claim), result);
        }
        let outcome: ReadonlySet<string> | "fenced";
        try {
          outcome = await result;
        } catch (error) {
          log.warn("could not settle an old claim; will retry", { claimId: k.old.id, error });
          retry(k.part.owner);
          return;
        }
        if (outcome !== "fenced" && !outcome.has(partKey(k.part))) return;
        await moveHere(k);
      }),
    );

    // 6. Apply each claim's counters to its item, once.
    const appliedEvents = new Set<Pending>();
    const outcomes = new Map<string, "applied" | "failed" | "empty">();
    await Promise.all(
      [...counted].map(async ([key, { claim, parts, excluded }]) => {
        if (parts.length === 0) {
          outcomes.set(key, "empty");
          return;
        }
        const add: Record<string, number> = {};
        for (const part of parts)
          for (const [name, value] of Object.entries(part.add)) add[name] = (add[name] ?? 0) + value;
        const prunes = takePrunes(claim);
        let outcome: "applied" | "fenced";
        try {
          outcome = await store.apply(claim, add, prunes, excluded);
        } catch (error) {
          // Perhaps applied, perhaps not: the retry finds out (a fence settles it either way).
          requeuePrunes(claim, prunes);
          log.warn("could not apply a claim; its events will be retried", { claimId: claim.id, error });
          for (const part of parts) retry(part.owner);
          outcomes.set(key, "failed");
          return;
        }
        if (outcome === "fenced") {
          requeuePrunes(claim, prunes);
          log.warn("claim was fenced by another worker; its events will be retried", { claimId: claim.id });
          for (const part of parts) retry(part.owner);
          outcomes.set(key, "failed");
          return;
        }
        outcomes.set(key, "applied");
        for (const part of parts) appliedEvents.add(part.owner);
      }),
    );

    // 7. Make the applied claims durable: one record for a batch claim whose claims all applied (a claim
    //    with nothing to add but parts left out counts as applied with nothing: no one else applies it),
    //    else one record per applied claim. Then their markers can be pruned.
    const byBatch = new Map<string, [string, { claim: Claim; parts: Part[]; excluded: string[] }][]>();
    for (const entry of counted)
      byBatch.set(entry[1].claim.id, [...(byBatch.get(entry[1].claim.id) ?? []), entry]);
    await Promise.all(
      [...byBatch].map(async ([claimId, entries]) => {
        const applied = entries.filter(([key]) => outcomes.get(key) === "applied");
        if (applied.length === 0) return;
        const markers = () => {
          for (const [, { claim }] of applied) requeuePrunes(claim, [appliedMarker(claim.id)]);
        };
        try {
          if (entries.every(([key]) => outcomes.get(key) !== "failed")) {
            const events = new Set(applied.flatMap(([, { parts }]) => parts.map((p) => p.owner))).size;
            await store.putBatchRecord(
              claimId,
              events,
              entries.map(([, entry]) => entry),
            );
          } else {
            await Promise.all(
              applied.map(([, { claim, parts, excluded }]) =>
                store.putClaimRecord(claim, parts.length, excluded),
              ),
            );
          }
          markers();
        } catch (error) {
          // The markers stay on their items, so a later fence still sees the claims as applied.
          log.warn("claims applied but their record was not written", { claimId, error });
        }
      }),
    );

    // 8. Claims that were young a moment ago have usually been applied by their worker since: look once
    //    more rather than sending the message round the queue again.
    if (young.length > 0) {
      let nowRecorded = new Map<string, ClaimRecord>();
      try {
        nowRecorded = await store.claimRecords(young.map((y) => claimOn(y.old, y.part.target)));
      } catch (error) {
        log.warn("could not look at young claims again; will retry", { error });
      }
      for (const { part, old } of young) {
        const record = nowRecorded.get(claimKey(claimOn(old, part.target)));
        if (record === undefined || record.excluded.has(partKey(part))) retry(part.owner);
      }
    }

    // An event is newly counted when this batch applied its parts and none is left to settle; it is a
    // duplicate when it was in the ledger already and nothing of it was left to do. A new event that
    // moves no projection is neither.
    let applied = 0;
    let duplicates = repeats;
    const visible: string[] = [];
    for (const p of valid) {
      if (retrying.has(p)) continue;
      if (appliedEvents.has(p)) {
        applied++;
        visible.push(p.event.eventId);
      } else if (!newlyInserted.has(p)) duplicates += p.messageIds.length;
    }
    if (visible.length > 0) hooks.onApplied?.(visible, now());

    return { failed: [...failed], applied, duplicates, deadLettered };
  };
};
