import type { Target } from "#domain/projections/contract.ts";

/**
 * How registered projections are laid out in DynamoDB: keys of projection items, claim markers and
 * records, member rows for distinct counts, and how a ledger row names the claims that carry its event.
 * The claim protocol that writes them is in store.ts and projector.ts; docs/exactly-once.md explains it.
 *
 * - Projection item: `pk` = the domain's partition, `sk` = `v<version>#<item>#s<shard>`, one number
 *   attribute per counter. A batch picks one shard for all its items, so concurrent batches rarely touch
 *   the same item; a read sums the shards.
 * - Claim: one batch's contributions to one item. Its `a#<id>` marker on the item says it was applied,
 *   `f#<id>` that it never can be; a record makes it durable: the batch's (`pk` = `claim#<id>`, once all
 *   its claims are applied) or, when only some were, the claim's own (`sk` = `claim#<id>@<item sk>`).
 * - Member row (`pk` = `m#<member>`, `sk` = `m`): one attribute `s#<set>` per distinct set the member was
 *   counted in, naming the claim that counted it.
 */

/** One batch's claim, as a ledger row or a member row names it: `<id>/<version>/<shard>/<claimedAt>`. */
export interface ClaimRef {
  readonly id: string;
  readonly version: number;
  readonly shard: number;
  readonly claimedAt: number;
}

/** A claim on one projection item. */
export interface Claim {
  readonly id: string;
  readonly pk: string;
  readonly sk: string;
}

export const refText = (ref: ClaimRef): string => `${ref.id}/${ref.version}/${ref.shard}/${ref.claimedAt}`;

export const parseRef = (text: unknown): ClaimRef | undefined => {
  if (typeof text !== "string") return undefined;
  const [id, version, shard, claimedAt] = text.split("/");
  if (!id || version === undefined || shard === undefined || claimedAt === undefined) return undefined;
  return { id, version: Number(version), shard: Number(shard), claimedAt: Number(claimedAt) };
};

export const itemPrefix = (version: number): string => `v${version}#`;
export const itemSk = (version: number, item: string, shard: number): string =>
  `${itemPrefix(version)}${item}#s${shard}`;

/** The claim a batch's ref makes on one target item. */
export const claimOn = (ref: ClaimRef, target: Target): Claim => ({
  id: ref.id,
  pk: target.partition,
  sk: itemSk(ref.version, target.item, ref.shard),
});

/** One string per claim, to key maps by. */
export const claimKey = (claim: Claim): string => `${claim.pk}|${claim.sk}|${claim.id}`;
/** One string per target item, to key maps and `mv#` attributes by. */
export const targetKey = (target: Target): string => `${target.partition}|${target.item}`;

export const claimRecordSk = (claim: Pick<Claim, "id" | "sk">): string => `claim#${claim.id}@${claim.sk}`;
/**
 * The record of a whole batch claim, written once every claim it made was applied: one write for the
 * batch instead of one per item. A claim is durable when either record exists.
 */
export const batchRecordKey = (claimId: string): { pk: string; sk: string } => ({
  pk: `claim#${claimId}`,
  sk: "r",
});
/** The attribute of a batch record that names what one of its claims left out (rare: absent otherwise). */
export const batchExcludedAttribute = (claim: Pick<Claim, "pk" | "sk">): string =>
  `x#${claim.pk}|${claim.sk}`;
/** Marks a claim as applied on its item; removed once the claim record is durable. */
export const appliedMarker = (claimId: string): string => `a#${claimId}`;
/** Marks a claim as abandoned on its item: it can never be applied after this. */
export const fenceMarker = (claimId: string): string => `f#${claimId}`;

/** A ledger row attribute naming the claim one part of its event was moved to after a crash. */
export const movedAttribute = (target: Target): string => `mv#${targetKey(target)}`;

export const memberPk = (member: string): string => `m#${member}`;
export const MEMBER_SK = "m";
/** A member row attribute: the claim that counted the member in this set. */
export const setAttribute = (set: string): string => `s#${set}`;
/** How a claim's left-out list names a distinct member it could not settle. */
export const firstKey = (set: string, member: string): string => `${set}@${member}`;

/**
 * Whether an attribute of a projection item is a counter: numbers only, and never a key, a claim marker
 * or a rebuild's stamp.
 */
export const isCounter = (name: string, value: unknown): value is number =>
  typeof value === "number" && name !== "pk" && name !== "sk" && !/^[af]#/.test(name) && name !== "rebuiltAt";

/**
 * The domain's item name in a projection sort key `v<version>#<item>#s<shard>`; item names may hold `#`
 * themselves (`d#2026-09`), so only the last `#s<n>` is the shard. Undefined for anything else.
 */
export const itemOfSk = (sk: string, versionPrefix: string): string | undefined => {
  const match = /^(.+)#s\d+$/.exec(sk.slice(versionPrefix.length));
  return sk.startsWith(versionPrefix) ? match?.[1] : undefined;
};
